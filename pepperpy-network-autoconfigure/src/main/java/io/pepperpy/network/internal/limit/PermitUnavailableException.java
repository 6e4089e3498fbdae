package io.pepperpy.network.internal.limit;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Thrown by a {@link PermitGate} ({@link RateGate} or {@link RedisRateGate}) when the wait for a permit would be
 * longer than the caller accepts; the clients turn it into a {@code RATE_LIMITED} failure. Without a stack trace:
 * it is an expected outcome, made often under load.
 */
public final class PermitUnavailableException extends RuntimeException {

	private final Duration wait;

	private final Duration maxWait;

	PermitUnavailableException(Duration wait, Duration maxWait) {
		this(wait, maxWait, false);
	}

	/**
	 * @param quotaSpent whether the wait is for the partner's quota to reset (its rate-limit headers said none is
	 * left), which the message then names with the reset's time
	 */
	PermitUnavailableException(Duration wait, Duration maxWait, boolean quotaSpent) {
		super((quotaSpent ? "the partner's quota is spent until it resets at "
				+ Instant.now().plus(wait).truncatedTo(ChronoUnit.SECONDS) + " (its rate-limit headers): " : "")
				+ "a permit would take " + wait.toMillis() + " ms, longer than the " + maxWait.toMillis()
				+ " ms the call may wait", null, false, false);
		this.wait = wait;
		this.maxWait = maxWait;
	}

	public Duration waitTime() {
		return this.wait;
	}

	public Duration maxWait() {
		return this.maxWait;
	}

}
