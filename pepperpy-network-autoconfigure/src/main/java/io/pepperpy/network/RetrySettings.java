package io.pepperpy.network;

import java.time.Duration;

import io.pepperpy.network.internal.SettingChecks;

import org.springframework.core.retry.RetryPolicy;

/**
 * How a client retries: how many times, and the delays between attempts. Shared by the HTTP and TCP clients, whose
 * properties of the same names ({@code retries}, {@code retry-delay}, {@code retry-backoff-multiplier},
 * {@code retry-max-delay}, {@code retry-jitter}) mean the same; the values are checked when it is created.
 *
 * @param maxRetries retries after the first attempt ({@code 3} means at most 4 attempts)
 * @param delay delay before the first retry
 * @param multiplier factor applied to the delay after each retry ({@code 1} keeps it fixed)
 * @param maxDelay longest delay between attempts
 * @param jitter largest random amount added to or subtracted from each delay
 */
public record RetrySettings(int maxRetries, Duration delay, double multiplier, Duration maxDelay, Duration jitter) {

	/**
	 * Check every value.
	 * @throws InvalidSettingException naming the first invalid value
	 */
	public RetrySettings {
		SettingChecks.check(maxRetries >= 0, "retries", maxRetries, "be 0 or more");
		SettingChecks.notNegative("retry-delay", delay);
		SettingChecks.check(multiplier >= 1.0 && !Double.isInfinite(multiplier), "retry-backoff-multiplier",
				multiplier, "be 1 or more");
		SettingChecks.notNegative("retry-max-delay", maxDelay);
		SettingChecks.notNegative("retry-jitter", jitter);
	}

	/**
	 * Return a copy with other retries.
	 * @param maxRetries retries after the first attempt, 0 or more
	 * @return the copy
	 * @throws InvalidSettingException if {@code maxRetries} is negative
	 */
	public RetrySettings withMaxRetries(int maxRetries) {
		return new RetrySettings(maxRetries, this.delay, this.multiplier, this.maxDelay, this.jitter);
	}

	/**
	 * Return a copy with another first delay.
	 * @param delay delay before the first retry, not negative
	 * @return the copy
	 * @throws InvalidSettingException if {@code delay} is negative
	 */
	public RetrySettings withDelay(Duration delay) {
		return new RetrySettings(this.maxRetries, delay, this.multiplier, this.maxDelay, this.jitter);
	}

	/**
	 * Build Spring's retry policy of these settings. The longest delay is never below the first delay.
	 * @return a new policy
	 * @throws IllegalArgumentException if Spring rejects the delays (both zero)
	 */
	public RetryPolicy toRetryPolicy() {
		return RetryPolicy.builder()
			.maxRetries(this.maxRetries)
			.delay(this.delay)
			.multiplier(this.multiplier)
			.maxDelay((this.maxDelay.compareTo(this.delay) >= 0) ? this.maxDelay : this.delay)
			.jitter(this.jitter)
			.build();
	}

}
