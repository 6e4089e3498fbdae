package io.pepperpy.network.tcp;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The client's persistent connections, at most {@code maxSize} open or opening at once; exchanges beyond that wait
 * in arrival order for a released connection, at most the acquire timeout.
 * <p>
 * An exchange prefers an idle connection served by the event loop it runs on, and otherwise the most recently
 * released one. A reply usually starts the next exchange on the same thread, so with this affinity its write
 * stays on that thread instead of waking another event loop; reactor-pool, used before, has no such preference
 * and sent 30–43 % of the writes across threads (measured by the benchmarks module, part (i)). A new
 * connection opened from an event loop is placed on that loop (Reactor Netty's colocation).
 * <p>
 * Every state change holds the lock for a few field updates only; connecting, closing and completing callers
 * happen outside it. Each acquired connection is given back exactly once, with {@link #release} when it can serve
 * another exchange and {@link #invalidate} otherwise.
 */
final class ChannelPool {

	private final Object lock = new Object();

	private final Mono<TcpChannel> connect;

	private final int maxSize;

	private final long maxIdleNanos;

	/** Idle connections, the most recently released first. */
	private final ArrayDeque<TcpChannel> idle = new ArrayDeque<>();

	private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

	private final Set<TcpChannel> open = new HashSet<>();

	private final Scheduler timer = Schedulers.parallel();

	private final Disposable evictor;

	private int connecting;

	private boolean closed;

	ChannelPool(Mono<TcpChannel> connect, int maxSize, Duration maxIdleTime) {
		this.connect = connect;
		this.maxSize = maxSize;
		this.maxIdleNanos = maxIdleTime.toNanos();
		long every = Math.max(100, Math.min(maxIdleTime.toMillis(), 30_000));
		this.evictor = this.timer.schedulePeriodically(this::evict, every, every, TimeUnit.MILLISECONDS);
	}

	/**
	 * Borrow a connection: an idle one, a new one while fewer than the maximum are open, or the next one released
	 * within the timeout.
	 * @param timeout longest wait for a released connection
	 * @return the connection, to be given back with {@link #release} or {@link #invalidate}
	 */
	Mono<TcpChannel> acquire(Duration timeout) {
		return Mono.<TcpChannel>create((sink) -> {
			TcpChannel ready;
			Waiter waiter = null;
			boolean connect = false;
			synchronized (this.lock) {
				if (this.closed) {
					sink.error(new TcpErrors.ClientClosedException());
					return;
				}
				ready = takeIdle();
				if (ready == null) {
					if (this.open.size() + this.connecting < this.maxSize) {
						this.connecting++;
						connect = true;
					}
					else {
						waiter = new Waiter(sink);
						this.waiters.add(waiter);
					}
				}
			}
			if (ready != null) {
				sink.success(ready);
			}
			else if (connect) {
				open(sink);
			}
			else {
				Waiter queued = waiter;
				queued.timeout = this.timer.schedule(() -> expire(queued, timeout), timeout.toNanos(),
						TimeUnit.NANOSECONDS);
				sink.onCancel(() -> {
					if (queued.claim()) {
						synchronized (this.lock) {
							this.waiters.remove(queued);
						}
						queued.timeout.dispose();
					}
				});
			}
		}).doOnDiscard(TcpChannel.class, this::release);
	}

	/**
	 * Borrow an idle connection if there is one, without waiting or connecting.
	 * @return the connection, to be given back with {@link #release} or {@link #invalidate}, or {@code null}
	 */
	@Nullable TcpChannel pollIdle() {
		synchronized (this.lock) {
			return this.closed ? null : takeIdle();
		}
	}

	/**
	 * Under the lock: take the next usable idle connection, closing the unusable ones met on the way (closing
	 * only schedules the close on the connection's event loop).
	 */
	private @Nullable TcpChannel takeIdle() {
		while (!this.idle.isEmpty()) {
			TcpChannel candidate = nextIdle();
			if (candidate.usable()) {
				return candidate;
			}
			this.open.remove(candidate);
			candidate.close();
		}
		return null;
	}

	private TcpChannel nextIdle() {
		for (Iterator<TcpChannel> it = this.idle.iterator(); it.hasNext();) {
			TcpChannel candidate = it.next();
			if (candidate.inEventLoop()) {
				it.remove();
				return candidate;
			}
		}
		return this.idle.pollFirst();
	}

	private void open(MonoSink<TcpChannel> sink) {
		this.connect.subscribe((channel) -> {
			boolean accepted;
			synchronized (this.lock) {
				this.connecting--;
				accepted = !this.closed;
				if (accepted) {
					this.open.add(channel);
				}
			}
			if (accepted) {
				sink.success(channel);
			}
			else {
				channel.close();
				sink.error(new TcpErrors.ClientClosedException());
			}
		}, (error) -> {
			synchronized (this.lock) {
				this.connecting--;
			}
			sink.error(error);
			serveWaiters();
		});
	}

	/**
	 * Give back a connection that can serve another exchange: to the longest waiter, or to the idle set.
	 * @param channel the connection
	 */
	void release(TcpChannel channel) {
		if (!channel.usable()) {
			invalidate(channel);
			return;
		}
		while (true) {
			Waiter waiter;
			synchronized (this.lock) {
				if (this.closed || !this.open.contains(channel)) {
					break;
				}
				waiter = this.waiters.pollFirst();
				if (waiter == null) {
					channel.idleSince = System.nanoTime();
					this.idle.addFirst(channel);
					return;
				}
			}
			if (waiter.claim()) {
				waiter.timeout.dispose();
				waiter.sink.success(channel);
				return;
			}
		}
		invalidate(channel);
	}

	/**
	 * Give back a connection that must not be reused: it is closed and its place goes to the next waiter.
	 * @param channel the connection
	 */
	void invalidate(TcpChannel channel) {
		synchronized (this.lock) {
			this.open.remove(channel);
			this.idle.remove(channel);
		}
		channel.close();
		serveWaiters();
	}

	/**
	 * Open connections for waiters while there is room: a waiter queued while the pool was full keeps waiting
	 * after a connection closes unless this is done.
	 */
	private void serveWaiters() {
		while (true) {
			Waiter waiter;
			synchronized (this.lock) {
				if (this.closed || this.waiters.isEmpty() || this.open.size() + this.connecting >= this.maxSize) {
					return;
				}
				waiter = this.waiters.pollFirst();
				this.connecting++;
			}
			if (waiter.claim()) {
				waiter.timeout.dispose();
				open(waiter.sink);
			}
			else {
				synchronized (this.lock) {
					this.connecting--;
				}
			}
		}
	}

	private void expire(Waiter waiter, Duration timeout) {
		if (waiter.claim()) {
			synchronized (this.lock) {
				this.waiters.remove(waiter);
			}
			waiter.sink.error(new TcpErrors.PoolTimeoutException(timeout));
		}
	}

	private void evict() {
		List<TcpChannel> stale = null;
		long now = System.nanoTime();
		synchronized (this.lock) {
			for (Iterator<TcpChannel> it = this.idle.iterator(); it.hasNext();) {
				TcpChannel channel = it.next();
				if (!channel.usable() || now - channel.idleSince >= this.maxIdleNanos) {
					it.remove();
					this.open.remove(channel);
					stale = add(stale, channel);
				}
			}
		}
		closeAll(stale);
	}

	int acquiredSize() {
		synchronized (this.lock) {
			return this.open.size() - this.idle.size();
		}
	}

	int idleSize() {
		synchronized (this.lock) {
			return this.idle.size();
		}
	}

	/**
	 * Close every connection, idle or in use, and fail every waiter; later acquires fail.
	 */
	void close() {
		List<TcpChannel> all;
		List<Waiter> waiting;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			all = new ArrayList<>(this.open);
			waiting = new ArrayList<>(this.waiters);
			this.open.clear();
			this.idle.clear();
			this.waiters.clear();
		}
		this.evictor.dispose();
		closeAll(all);
		for (Waiter waiter : waiting) {
			if (waiter.claim()) {
				waiter.timeout.dispose();
				waiter.sink.error(new TcpErrors.ClientClosedException());
			}
		}
	}

	private static List<TcpChannel> add(@Nullable List<TcpChannel> list, TcpChannel channel) {
		List<TcpChannel> result = (list != null) ? list : new ArrayList<>();
		result.add(channel);
		return result;
	}

	private static void closeAll(@Nullable List<TcpChannel> channels) {
		if (channels != null) {
			channels.forEach(TcpChannel::close);
		}
	}

	/**
	 * An acquire queued for a released connection; whoever claims it first (hand-over, timeout, cancel, close)
	 * completes it.
	 */
	private static final class Waiter {

		final MonoSink<TcpChannel> sink;

		private final AtomicBoolean done = new AtomicBoolean();

		volatile Disposable timeout = Disposables.never();

		Waiter(MonoSink<TcpChannel> sink) {
			this.sink = sink;
		}

		boolean claim() {
			return this.done.compareAndSet(false, true);
		}

	}

}
