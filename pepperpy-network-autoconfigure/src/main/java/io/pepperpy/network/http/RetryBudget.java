package io.pepperpy.network.http;

import java.util.function.LongSupplier;

/**
 * A per-client retry budget in the style of Finagle's and Envoy's: over a sliding window of 10 seconds, retries
 * may add at most {@code percent} % on top of the calls made, with a floor of {@code minPerSecond} retries per
 * second so that a quiet client can still retry. When it is spent, failures surface at once instead of adding
 * load to a struggling server.
 */
final class RetryBudget {

	private static final int BUCKETS = 10;

	private static final long BUCKET_NANOS = 1_000_000_000L;

	private final int percent;

	private final int minPerSecond;

	private final LongSupplier clock;

	private final long[] bucketIndex = new long[BUCKETS];

	private final long[] calls = new long[BUCKETS];

	private final long[] retries = new long[BUCKETS];

	RetryBudget(int percent, int minPerSecond, LongSupplier clock) {
		this.percent = percent;
		this.minPerSecond = minPerSecond;
		this.clock = clock;
		java.util.Arrays.fill(this.bucketIndex, Long.MIN_VALUE);
	}

	/**
	 * Record a call's first attempt.
	 */
	synchronized void recordCall() {
		this.calls[bucket()]++;
	}

	/**
	 * Take one retry from the budget.
	 * @return whether the retry is allowed
	 */
	synchronized boolean tryRetry() {
		int current = bucket();
		long windowCalls = 0;
		long windowRetries = 0;
		for (int i = 0; i < BUCKETS; i++) {
			windowCalls += this.calls[i];
			windowRetries += this.retries[i];
		}
		long allowed = Math.max((long) this.minPerSecond * BUCKETS, windowCalls * this.percent / 100);
		if (windowRetries >= allowed) {
			return false;
		}
		this.retries[current]++;
		return true;
	}

	/**
	 * Return the retries still allowed in the current window.
	 * @return the remaining retries
	 */
	synchronized long remaining() {
		bucket();
		long windowCalls = 0;
		long windowRetries = 0;
		for (int i = 0; i < BUCKETS; i++) {
			windowCalls += this.calls[i];
			windowRetries += this.retries[i];
		}
		return Math.max(0, Math.max((long) this.minPerSecond * BUCKETS, windowCalls * this.percent / 100)
				- windowRetries);
	}

	private int bucket() {
		long index = Math.floorDiv(this.clock.getAsLong(), BUCKET_NANOS);
		int slot = (int) Math.floorMod(index, BUCKETS);
		if (this.bucketIndex[slot] != index) {
			this.bucketIndex[slot] = index;
			this.calls[slot] = 0;
			this.retries[slot] = 0;
		}
		// Clear buckets that fell out of the window without being visited.
		for (int i = 0; i < BUCKETS; i++) {
			if (this.bucketIndex[i] != Long.MIN_VALUE && index - this.bucketIndex[i] >= BUCKETS) {
				this.bucketIndex[i] = Long.MIN_VALUE;
				this.calls[i] = 0;
				this.retries[i] = 0;
			}
		}
		return slot;
	}

}
