package io.pepperpy.network.http;

import java.time.Duration;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The client's rate limiter: hands out one permit per {@code 1/R} second slot, so no window carries more than
 * its share plus one, and never blocks a thread (a caller whose slot is in the future waits on a Reactor timer).
 * The share is held again at release (at most {@code R/10 + 1} permits in any 100 ms): callers whose timers fire
 * late and together, after a pause of the JVM or of a busy machine, are spread out instead of sent in a burst.
 * <p>
 * Three things resilience4j's {@code AtomicRateLimiter} cannot do are the reason this class exists: a caller
 * that cancels while waiting gives its slot back (the next caller takes it, so no permit is wasted); each call
 * has its own longest wait (its deadline), decided before a slot is reserved; and a server's {@code Retry-After}
 * on a 429 pauses every caller of the client, including those already waiting.
 * <p>
 * Public only so that the TCP client shares it; it is an implementation class, not part of the stable API.
 */
public final class RateGate implements PermitGate {

	/**
	 * Thrown when the wait for a permit would be longer than the caller accepts.
	 */
	public static final class PermitUnavailableException extends RuntimeException {

		private final Duration wait;

		private final Duration maxWait;

		PermitUnavailableException(Duration wait, Duration maxWait) {
			super("a permit would take " + wait.toMillis() + " ms, longer than the " + maxWait.toMillis()
					+ " ms the call may wait", null, false, false);
			this.wait = wait;
			this.maxWait = maxWait;
		}

		Duration waitTime() {
			return this.wait;
		}

		Duration maxWait() {
			return this.maxWait;
		}

	}

	/**
	 * Told how long each permit took.
	 */
	@FunctionalInterface
	public interface WaitListener {

		void waited(long nanos);

		/**
		 * Called when a caller is refused a permit because the wait would exceed its longest wait.
		 */
		default void denied() {
		}

	}

	private static final Mono<Void> NOW = Mono.empty();

	/**
	 * Waits this short are not worth a timer: the caller goes at once.
	 */
	static final long EARLY_RELEASE_NANOS = 50_000;

	private final long intervalNanos;

	/**
	 * The window whose share is enforced at release: a caller released late (its timer fired after a stall of the
	 * JVM or the machine) must not go together with every other late one.
	 */
	static final long WINDOW_NANOS = 100_000_000L;

	/**
	 * Release times of the last {@code R/10 + 1} permits (a ring; the oldest at {@link #windowNext}), or
	 * {@code null} above 100,000 permits per second, where slots are closer than a timer can be precise.
	 */
	private final long @Nullable [] window;

	private int windowNext;

	private final LongSupplier clock;

	private final WaitListener listener;

	private final Object lock = new Object();

	/**
	 * Earliest time the next fresh slot may be handed out.
	 */
	private long frontier;

	/**
	 * Future slots given back by callers that cancelled.
	 */
	private final TreeSet<Long> returned = new TreeSet<>();

	private volatile long pausedUntil;

	private volatile boolean paused;

	/**
	 * Create a gate.
	 * @param permitsPerSecond permits per second, 0 for no limit (only pauses)
	 * @param clock a nanosecond clock
	 * @param listener told how long each permit took
	 */
	public RateGate(int permitsPerSecond, LongSupplier clock, WaitListener listener) {
		this.intervalNanos = (permitsPerSecond > 0) ? Math.max(1, 1_000_000_000L / permitsPerSecond) : 0;
		this.clock = clock;
		this.listener = listener;
		this.frontier = clock.getAsLong() - this.intervalNanos;
		if (permitsPerSecond > 0 && permitsPerSecond <= 100_000) {
			this.window = new long[permitsPerSecond / 10 + 1];
			java.util.Arrays.fill(this.window, Long.MIN_VALUE / 2);
		}
		else {
			this.window = null;
		}
	}

	/**
	 * Under the lock: release a permit now if no window of {@link #WINDOW_NANOS} would then hold more than
	 * {@code R/10 + 1} of them, and return 0; otherwise return how long to wait before trying again. Slots are
	 * {@code 1/R} apart, so this only holds back callers whose timers fired late and together.
	 */
	long release(long now) {
		long[] window = this.window;
		if (window == null) {
			return 0;
		}
		long earliest = window[this.windowNext] + WINDOW_NANOS;
		if (earliest > now) {
			return earliest - now;
		}
		window[this.windowNext] = now;
		this.windowNext = (this.windowNext + 1 == window.length) ? 0 : this.windowNext + 1;
		return 0;
	}

	/**
	 * Return whether a caller may go without asking: no limit and no pause.
	 * @return whether the gate is open
	 */
	@Override
	public boolean isOpen() {
		return this.intervalNanos == 0 && !this.paused;
	}

	/**
	 * Wait for a permit (public for the TCP client, which shares this limiter).
	 * @param maxWait the longest the caller accepts to wait
	 * @return a {@code Mono} that completes when the caller may send
	 */
	@Override
	public Mono<Void> acquire(Duration maxWait) {
		if (this.intervalNanos == 0 && !this.paused) {
			return NOW;
		}
		return Mono.defer(() -> acquire(maxWait.toNanos(), this.clock.getAsLong()));
	}

	private Mono<Void> acquire(long maxWaitNanos, long start) {
		long now = this.clock.getAsLong();
		long slot;
		synchronized (this.lock) {
			long pause = this.pausedUntil;
			if (pause <= now && this.paused) {
				this.paused = false;
			}
			if (this.intervalNanos == 0) {
				slot = Math.max(now, pause);
				if (slot - now > maxWaitNanos) {
					this.listener.denied();
					return Mono.error(new PermitUnavailableException(Duration.ofNanos(slot - now),
							Duration.ofNanos(maxWaitNanos)));
				}
			}
			else {
				Long reused = null;
				if (!this.returned.isEmpty()) {
					reused = this.returned.ceiling(Math.max(now, pause));
					this.returned.headSet(Math.max(now, pause)).clear();
				}
				if (reused != null) {
					this.returned.remove(reused);
					slot = reused;
				}
				else {
					slot = Math.max(Math.max(this.frontier, now), pause);
				}
				if (slot - now > maxWaitNanos) {
					if (reused != null) {
						this.returned.add(reused);
					}
					this.listener.denied();
					return Mono.error(new PermitUnavailableException(Duration.ofNanos(slot - now),
							Duration.ofNanos(maxWaitNanos)));
				}
				if (reused == null) {
					this.frontier = slot + this.intervalNanos;
				}
			}
		}
		long wait = slot - now;
		if (wait <= EARLY_RELEASE_NANOS) {
			// A timer cannot wait less than about 50 µs anyway; hopping to it would only add a thread switch. The slot
			// is still taken, so the frontier never runs more than this ahead of the clock.
			synchronized (this.lock) {
				wait = release(now);
			}
			if (wait == 0) {
				this.listener.waited(now - start);
				return NOW;
			}
		}
		long reserved = slot;
		return Mono.delay(Duration.ofNanos(wait))
			.doOnCancel(() -> giveBack(reserved))
			.then(Mono.defer(() -> released(maxWaitNanos, start)));
	}

	/**
	 * A waiter's timer fired: let it go, or send it back to wait behind a pause or the window's share.
	 */
	private Mono<Void> released(long maxWaitNanos, long start) {
		long after = this.clock.getAsLong();
		if (this.paused && this.pausedUntil > after) {
			// A 429 paused the client while this caller waited: queue again behind the pause.
			return acquire(maxWaitNanos - (after - start), start);
		}
		long again;
		synchronized (this.lock) {
			again = release(after);
		}
		if (again == 0) {
			this.listener.waited(after - start);
			return NOW;
		}
		if (after + again - start > maxWaitNanos) {
			this.listener.denied();
			return Mono.error(new PermitUnavailableException(Duration.ofNanos(after + again - start),
					Duration.ofNanos(maxWaitNanos)));
		}
		return Mono.delay(Duration.ofNanos(again)).then(Mono.defer(() -> released(maxWaitNanos, start)));
	}

	private void giveBack(long slot) {
		if (this.intervalNanos == 0) {
			return;
		}
		synchronized (this.lock) {
			if (slot > this.clock.getAsLong()) {
				if (slot + this.intervalNanos == this.frontier) {
					this.frontier = slot;
				}
				else {
					this.returned.add(slot);
				}
			}
		}
	}

	/**
	 * Stop handing out permits until the given time, because a server said so.
	 * @param wait how long to pause from now
	 */
	@Override
	public void pause(Duration wait) {
		long until = this.clock.getAsLong() + wait.toNanos();
		synchronized (this.lock) {
			if (until > this.pausedUntil) {
				this.pausedUntil = until;
				this.paused = true;
				if (this.intervalNanos > 0 && this.frontier < until) {
					this.frontier = until;
				}
			}
		}
	}

	/**
	 * Return how long from now the client is paused, zero when it is not.
	 * @return the remaining pause
	 */
	@Override
	public Duration pausedFor() {
		long remaining = this.pausedUntil - this.clock.getAsLong();
		return (this.paused && remaining > 0) ? Duration.ofNanos(remaining) : Duration.ZERO;
	}

	/**
	 * Return the configured interval between permits, zero when there is no limit.
	 * @return the interval
	 */
	Duration interval() {
		return Duration.ofNanos(this.intervalNanos);
	}

}
