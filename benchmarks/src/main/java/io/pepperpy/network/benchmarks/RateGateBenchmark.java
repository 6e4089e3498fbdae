package io.pepperpy.network.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.pepperpy.network.internal.limit.RateGate;
import io.pepperpy.network.internal.limit.RateLimitListener;

/**
 * The client's limiter alone, without HTTP: one driver thread asks for permits open loop at 3 × the limit, each
 * caller accepting to wait {@code MAX_WAIT_MS}; prints the permits released per second (within the first
 * {@code SECONDS} from the first release), the largest number in any 100 ms, the refusals (and how many came after
 * a wait rather than at once) and the process CPU per call, beside the same driver's CPU per call with a gate that
 * lets everyone go at once. It isolates what parts (d) and (g) measure through the
 * whole client: {@code RateGateBenchmark RATE SECONDS MAX_WAIT_MS}, e.g. {@code RateGateBenchmark 12000 10 100}
 * (pinned to one CPU, as run.sh pins the client).
 */
public final class RateGateBenchmark {

	private RateGateBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int rate = Integer.parseInt(args[0]);
		long seconds = Long.parseLong(args[1]);
		long maxWaitMillis = Long.parseLong(args[2]);
		AtomicLong denied = new AtomicLong();
		RateGate gate = new RateGate(rate, System::nanoTime, new RateLimitListener() {
			@Override
			public void waited(long nanos) {
			}

			@Override
			public void denied() {
				denied.incrementAndGet();
			}
		});
		Duration maxWait = Duration.ofMillis(maxWaitMillis);
		// baseline: the same driver with a gate that lets everyone go at once (what the driver itself costs)
		RateGate open = new RateGate(0, System::nanoTime, (nanos) -> {
		});
		run(open, rate, 1, maxWait, new long[0], new AtomicInteger(), new AtomicLong());
		long baseCpu0 = CpuClock.processCpuNanos();
		long baseCalls = run(open, rate, Math.min(seconds, 3), maxWait, new long[0], new AtomicInteger(),
				new AtomicLong());
		double baseMicros = (CpuClock.processCpuNanos() - baseCpu0) / 1e3 / baseCalls;
		// warm-up: a second at the same demand, unrecorded
		run(gate, rate, 1, maxWait, new long[0], new AtomicInteger(), new AtomicLong());
		Thread.sleep(maxWaitMillis + 200);
		denied.set(0);
		long[] releases = new long[(int) (rate * (seconds + 2))];
		AtomicInteger released = new AtomicInteger();
		AtomicLong deniedAfterWait = new AtomicLong();
		long cpu0 = CpuClock.processCpuNanos();
		long calls = run(gate, rate, seconds, maxWait, releases, released, deniedAfterWait);
		Thread.sleep(maxWaitMillis + 200);
		double cpuMicros = (CpuClock.processCpuNanos() - cpu0) / 1e3 / calls;
		long[] sorted = Arrays.copyOf(releases, Math.min(releases.length, released.get()));
		Arrays.sort(sorted);
		long inWindow = (sorted.length == 0) ? 0
				: Arrays.stream(sorted).filter((t) -> t < sorted[0] + seconds * 1_000_000_000L).count();
		System.out.println(String.format(Locale.ROOT,
				"limit %d/s, demand %d/s, longest wait %d ms: %.2f permits/s (%+.2f %%), max %d in 100 ms (allowed %d), "
						+ "%d refused (%d after waiting), %.1f us CPU per call (the driver alone: %.1f)",
				rate, 3 * rate, maxWaitMillis, inWindow / (double) seconds, 100.0 * (inWindow / (double) seconds - rate) / rate,
				ResilienceBenchmarks.maxInWindow(sorted, 100_000_000L), rate / 10 + 1, denied.get(), deniedAfterWait.get(),
				cpuMicros, baseMicros));
		System.exit(0);
	}

	private static long run(RateGate gate, int rate, long seconds, Duration maxWait, long[] releases,
			AtomicInteger released, AtomicLong deniedAfterWait) {
		long interval = 1_000_000_000L / (3L * rate);
		long start = System.nanoTime();
		long end = start + seconds * 1_000_000_000L;
		long calls = 0;
		while (true) {
			long intended = start + calls * interval;
			if (intended >= end) {
				return calls;
			}
			long now = System.nanoTime();
			if (intended > now) {
				LockSupport.parkNanos(intended - now);
				continue;
			}
			gate.acquire(maxWait).subscribe(null, (ex) -> {
				if (System.nanoTime() - now > 1_000_000L) {
					deniedAfterWait.incrementAndGet();
				}
			}, () -> {
				int index = released.getAndIncrement();
				if (index < releases.length) {
					releases[index] = System.nanoTime();
				}
			});
			calls++;
		}
	}

}
