package io.pepperpy.network.benchmarks;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

import io.pepperpy.network.NetworkException;

/**
 * Drives one arm open loop (requests sent at fixed intended times, latency measured from the intended time so a
 * stalled client cannot hide its queueing) or closed loop (a fixed number of requests always in flight).
 */
final class LoadDriver {

	private static final long DRAIN_NANOS = 5_000_000_000L;

	private LoadDriver() {
	}

	/**
	 * What one run measured.
	 * @param sent requests sent
	 * @param ok requests that completed successfully
	 * @param failed requests that failed
	 * @param nanos wall time from the first send to the last completion (or the drain timeout)
	 * @param cpuNanos process CPU time over the same span
	 * @param okLatency latency of successes, in nanoseconds
	 * @param failLatency latency of failures, in nanoseconds
	 * @param failures failure counts by type
	 */
	record Result(long sent, long ok, long failed, long nanos, long cpuNanos, Histogram okLatency,
			Histogram failLatency, Map<String, Long> failures) {

		double cpuMicrosPerRequest() {
			return (this.ok + this.failed == 0) ? Double.NaN : this.cpuNanos / 1000.0 / (this.ok + this.failed);
		}

		double okPerSecond(long windowNanos) {
			return this.ok * 1e9 / windowNanos;
		}

	}

	/**
	 * Send {@code rate} requests per second for {@code durationNanos}, then wait for the stragglers.
	 */
	static Result openLoop(BenchClient client, Decode decode, double rate, long durationNanos) {
		Tracker tracker = new Tracker();
		long interval = (long) (1e9 / rate);
		long cpu0 = CpuClock.processCpuNanos();
		long start = System.nanoTime();
		long end = start + durationNanos;
		long index = 0;
		while (true) {
			long intended = start + index * interval;
			if (intended >= end) {
				break;
			}
			long now = System.nanoTime();
			if (intended > now) {
				LockSupport.parkNanos(intended - now);
				continue;
			}
			tracker.send(client, decode, intended);
			index++;
		}
		tracker.drain();
		return tracker.result(start, cpu0);
	}

	/**
	 * Keep {@code concurrency} requests in flight for {@code durationNanos}. The result's {@code nanos} is the
	 * measured window, so {@code ok / nanos} is the throughput.
	 */
	static Result closedLoop(BenchClient client, Decode decode, int concurrency, long durationNanos) {
		Tracker tracker = new Tracker();
		AtomicBoolean running = new AtomicBoolean(true);
		Semaphore permits = new Semaphore(concurrency);
		long cpu0 = CpuClock.processCpuNanos();
		long start = System.nanoTime();
		long end = start + durationNanos;
		try {
			while (System.nanoTime() < end) {
				if (permits.tryAcquire(1, TimeUnit.MILLISECONDS)) {
					tracker.chain(client, decode, running, permits);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		long window = System.nanoTime() - start;
		long okAtEnd = tracker.ok.sum();
		long failedAtEnd = tracker.failed.sum();
		running.set(false);
		tracker.drain();
		Result all = tracker.result(start, cpu0);
		return new Result(all.sent(), okAtEnd, failedAtEnd, window, all.cpuNanos(), all.okLatency(),
				all.failLatency(), all.failures());
	}

	static String failureType(Throwable ex) {
		if (ex instanceof NetworkException network) {
			return "NetworkException." + network.kind();
		}
		return ex.getClass().getSimpleName();
	}

	private static final class Tracker {

		private static final ThreadLocal<int[]> SENDING = ThreadLocal.withInitial(() -> new int[1]);

		final LongAdder ok = new LongAdder();

		final LongAdder failed = new LongAdder();

		final AtomicLong outstanding = new AtomicLong();

		final AtomicLong sent = new AtomicLong();

		final Recorder okLatency = new Recorder(3);

		final Recorder failLatency = new Recorder(3);

		final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

		volatile long lastCompletion;

		void send(BenchClient client, Decode decode, long intended) {
			send(client, decode, intended, (ex) -> {
			});
		}

		private void send(BenchClient client, Decode decode, long intended, Consumer<@Nullable Throwable> then) {
			this.outstanding.incrementAndGet();
			this.sent.incrementAndGet();
			try {
				client.send(decode, (ex) -> {
					complete(intended, ex);
					then.accept(ex);
				});
			}
			catch (RuntimeException ex) {
				complete(intended, ex);
				then.accept(ex);
			}
		}

		private void complete(long intended, @Nullable Throwable ex) {
			long now = System.nanoTime();
			if (ex == null) {
				this.ok.increment();
				this.okLatency.recordValue(Math.max(0, now - intended));
			}
			else {
				this.failed.increment();
				this.failLatency.recordValue(Math.max(0, now - intended));
				this.failures.computeIfAbsent(failureType(ex), (key) -> new LongAdder()).increment();
			}
			this.lastCompletion = now;
			this.outstanding.decrementAndGet();
		}

		/**
		 * Send, and send again from the completing thread while running, so asynchronous clients keep their
		 * requests in flight from their own threads. A completion on the sending thread itself (a synchronous
		 * failure) would recurse: it returns its permit to the driver loop instead.
		 */
		void chain(BenchClient client, Decode decode, AtomicBoolean running, Semaphore permits) {
			int[] sending = SENDING.get();
			sending[0]++;
			try {
				send(client, decode, System.nanoTime(), (ex) -> {
					if (running.get() && SENDING.get()[0] == 0) {
						chain(client, decode, running, permits);
					}
					else {
						permits.release();
					}
				});
			}
			finally {
				sending[0]--;
			}
		}

		void drain() {
			long deadline = System.nanoTime() + DRAIN_NANOS;
			while (this.outstanding.get() > 0 && System.nanoTime() < deadline) {
				LockSupport.parkNanos(200_000);
			}
		}

		Result result(long start, long cpu0) {
			long cpu = CpuClock.processCpuNanos() - cpu0;
			long end = Math.max(this.lastCompletion, start);
			Map<String, Long> counts = new TreeMap<>();
			this.failures.forEach((type, count) -> counts.put(type, count.sum()));
			return new Result(this.sent.get(), this.ok.sum(), this.failed.sum(), end - start, cpu,
					this.okLatency.getIntervalHistogram(), this.failLatency.getIntervalHistogram(), counts);
		}

	}

}
