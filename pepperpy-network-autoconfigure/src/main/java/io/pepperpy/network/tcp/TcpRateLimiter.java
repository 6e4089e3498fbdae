package io.pepperpy.network.tcp;

import java.time.Duration;
import java.util.function.LongSupplier;

import reactor.core.publisher.Mono;

/**
 * The client's rate limiter: one permit per {@code 1/R} second slot, shared by every exchange of the client. A
 * caller whose slot is in the future waits on a Reactor timer, never on a blocked thread; a caller that would wait
 * longer than it accepts fails at once, and the last caller to reserve a slot gives it back when it cancels.
 */
final class TcpRateLimiter {

	/**
	 * Thrown when the wait for a permit would be longer than the caller accepts.
	 */
	static final class PermitUnavailableException extends RuntimeException {

		PermitUnavailableException(long waitNanos, long maxWaitNanos) {
			super("a permit would take " + waitNanos / 1_000_000 + " ms, longer than the " + maxWaitNanos / 1_000_000
					+ " ms the exchange may wait", null, false, false);
		}

	}

	private final long intervalNanos;

	private final LongSupplier clock;

	private final Object lock = new Object();

	private long frontier;

	TcpRateLimiter(int permitsPerSecond, LongSupplier clock) {
		this.intervalNanos = (permitsPerSecond > 0) ? Math.max(1, 1_000_000_000L / permitsPerSecond) : 0;
		this.clock = clock;
		this.frontier = clock.getAsLong() - this.intervalNanos;
	}

	boolean limited() {
		return this.intervalNanos > 0;
	}

	/**
	 * Wait for a permit.
	 * @param maxWait the longest the caller accepts to wait
	 * @return a {@code Mono} that completes when the caller may send
	 */
	Mono<Void> acquire(Duration maxWait) {
		if (this.intervalNanos == 0) {
			return Mono.empty();
		}
		return Mono.defer(() -> {
			long now = this.clock.getAsLong();
			long slot;
			synchronized (this.lock) {
				slot = Math.max(this.frontier, now);
				if (slot - now > maxWait.toNanos()) {
					return Mono.error(new PermitUnavailableException(slot - now, maxWait.toNanos()));
				}
				this.frontier = slot + this.intervalNanos;
			}
			if (slot <= now) {
				return Mono.empty();
			}
			return Mono.delay(Duration.ofNanos(slot - now)).doOnCancel(() -> giveBack(slot)).then();
		});
	}

	private void giveBack(long slot) {
		synchronized (this.lock) {
			if (slot > this.clock.getAsLong() && slot + this.intervalNanos == this.frontier) {
				this.frontier = slot;
			}
		}
	}

}
