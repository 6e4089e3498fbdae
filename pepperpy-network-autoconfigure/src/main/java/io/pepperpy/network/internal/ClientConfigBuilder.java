package io.pepperpy.network.internal;

import java.time.Duration;

import io.pepperpy.network.InvalidSettingException;
import io.pepperpy.network.RetrySettings;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import io.pepperpy.network.limit.RateLimitSettings;
import org.jspecify.annotations.Nullable;

/**
 * The setters the HTTP and TCP configuration builders share, for the settings that mean the same for both: the
 * retries and their delays, the rate limit and the circuit breaker. Each builder starts from its own defaults
 * (a TCP client reconnects sooner than an HTTP client retries), and nothing is checked before it builds.
 *
 * @param <B> the builder's own type, which every setter returns
 */
public abstract class ClientConfigBuilder<B extends ClientConfigBuilder<B>> {

	private int retries;

	private Duration retryDelay;

	private double retryBackoffMultiplier;

	private Duration retryMaxDelay;

	private Duration retryJitter;

	private int maxRateLimit;

	private @Nullable Duration rateLimitTimeout;

	private CircuitBreakerSettings circuitBreaker;

	/**
	 * Start from settings.
	 * @param retry the retries and delays
	 * @param rateLimit the rate and the permit timeout
	 * @param circuitBreaker the circuit breaker
	 */
	protected ClientConfigBuilder(RetrySettings retry, RateLimitSettings rateLimit,
			CircuitBreakerSettings circuitBreaker) {
		this.retries = retry.maxRetries();
		this.retryDelay = retry.delay();
		this.retryBackoffMultiplier = retry.multiplier();
		this.retryMaxDelay = retry.maxDelay();
		this.retryJitter = retry.jitter();
		this.maxRateLimit = rateLimit.maxPerSecond();
		this.rateLimitTimeout = rateLimit.timeout();
		this.circuitBreaker = circuitBreaker;
	}

	@SuppressWarnings("unchecked")
	private B self() {
		return (B) this;
	}

	/**
	 * Set the retries after the first attempt ({@code 3} means at most 4 attempts).
	 * @param retries 0 or more
	 * @return this builder
	 */
	public B retries(int retries) {
		this.retries = retries;
		return self();
	}

	/**
	 * Set the delay before the first retry.
	 * @param retryDelay a duration, not negative
	 * @return this builder
	 */
	public B retryDelay(Duration retryDelay) {
		this.retryDelay = retryDelay;
		return self();
	}

	/**
	 * Set the factor applied to the delay after each retry ({@code 1} keeps it fixed).
	 * @param retryBackoffMultiplier 1 or more
	 * @return this builder
	 */
	public B retryBackoffMultiplier(double retryBackoffMultiplier) {
		this.retryBackoffMultiplier = retryBackoffMultiplier;
		return self();
	}

	/**
	 * Set the longest delay between attempts.
	 * @param retryMaxDelay a duration, not negative
	 * @return this builder
	 */
	public B retryMaxDelay(Duration retryMaxDelay) {
		this.retryMaxDelay = retryMaxDelay;
		return self();
	}

	/**
	 * Set the largest random amount added to or subtracted from each delay.
	 * @param retryJitter a duration, not negative
	 * @return this builder
	 */
	public B retryJitter(Duration retryJitter) {
		this.retryJitter = retryJitter;
		return self();
	}

	/**
	 * Set the most requests (or exchanges) per second, attempts included.
	 * @param maxRateLimit 0 (no limit) or more
	 * @return this builder
	 */
	public B maxRateLimit(int maxRateLimit) {
		this.maxRateLimit = maxRateLimit;
		return self();
	}

	/**
	 * Set the longest wait for a rate-limit permit.
	 * @param rateLimitTimeout a duration, or {@code null} for the deadline, else the timeout of one attempt
	 * @return this builder
	 */
	public B rateLimitTimeout(@Nullable Duration rateLimitTimeout) {
		this.rateLimitTimeout = rateLimitTimeout;
		return self();
	}

	/**
	 * Set the circuit breaker (off by default).
	 * @param circuitBreaker the settings
	 * @return this builder
	 */
	public B circuitBreaker(CircuitBreakerSettings circuitBreaker) {
		this.circuitBreaker = circuitBreaker;
		return self();
	}

	/**
	 * Return the retry settings set so far, checked.
	 * @return the settings
	 * @throws InvalidSettingException naming the first invalid value
	 */
	protected RetrySettings retrySettings() {
		return new RetrySettings(this.retries, this.retryDelay, this.retryBackoffMultiplier, this.retryMaxDelay,
				this.retryJitter);
	}

	/**
	 * Return the rate limit set so far, checked, kept where {@code where} says.
	 * @param where where the limit is kept (its backend, Redis key and so on); its rate and timeout are ignored
	 * @return the limit
	 * @throws InvalidSettingException naming the first invalid value
	 */
	protected RateLimitSettings rateLimitSettings(RateLimitSettings where) {
		return new RateLimitSettings(this.maxRateLimit, this.rateLimitTimeout, where.backend(), where.key(),
				where.expectedInstances(), where.commandTimeout(), where.serverQuota());
	}

	/**
	 * Return the circuit breaker set so far.
	 * @return the settings
	 */
	protected CircuitBreakerSettings circuitBreakerSettings() {
		return this.circuitBreaker;
	}

}
