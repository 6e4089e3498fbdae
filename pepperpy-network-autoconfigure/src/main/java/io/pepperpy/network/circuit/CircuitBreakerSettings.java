package io.pepperpy.network.circuit;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.pepperpy.network.internal.SettingChecks;

/**
 * A client's circuit breaker ({@code circuit-breaker.*}), named as resilience4j names its settings so that its
 * users recognise them. Shared by the HTTP and TCP clients; the values are checked when it is created.
 *
 * @param enabled whether the client has a circuit breaker
 * @param failureRateThreshold percentage of recorded attempts that failed at or above which the circuit opens
 * @param slowCallRateThreshold percentage of recorded attempts slower than {@code slowCallDurationThreshold} at or
 * above which the circuit opens
 * @param slowCallDurationThreshold how long an attempt may take before it counts as slow
 * @param minimumNumberOfCalls attempts recorded in the window before a rate is worked out at all
 * @param slidingWindowType whether the window holds the last {@code slidingWindowSize} attempts or those of the
 * last {@code slidingWindowSize} seconds
 * @param slidingWindowSize size of the window, in attempts or seconds
 * @param waitDurationInOpenState how long the circuit stays open before it lets probes through
 * @param permittedNumberOfCallsInHalfOpenState probes let through once the wait is over; their outcome closes or
 * reopens the circuit
 */
public record CircuitBreakerSettings(boolean enabled, float failureRateThreshold, float slowCallRateThreshold,
		Duration slowCallDurationThreshold, int minimumNumberOfCalls, SlidingWindowType slidingWindowType,
		int slidingWindowSize, Duration waitDurationInOpenState, int permittedNumberOfCallsInHalfOpenState) {

	/**
	 * The defaults: off; when on, open at 50 % failures (or 100 % slower than 10 s) once 20 of the last 50 attempts
	 * are recorded, stay open 30 s, then let 3 probes through.
	 */
	public static final CircuitBreakerSettings DEFAULTS = new CircuitBreakerSettings(false, 50, 100,
			Duration.ofSeconds(10), 20, SlidingWindowType.COUNT_BASED, 50, Duration.ofSeconds(30), 3);

	/**
	 * Check every value.
	 * @throws io.pepperpy.network.InvalidSettingException naming the first invalid value
	 */
	public CircuitBreakerSettings {
		SettingChecks.check(failureRateThreshold > 0 && failureRateThreshold <= 100,
				"circuit-breaker.failure-rate-threshold", failureRateThreshold, "be above 0 and at most 100 (%)");
		SettingChecks.check(slowCallRateThreshold > 0 && slowCallRateThreshold <= 100,
				"circuit-breaker.slow-call-rate-threshold", slowCallRateThreshold, "be above 0 and at most 100 (%)");
		SettingChecks.positive("circuit-breaker.slow-call-duration-threshold", slowCallDurationThreshold);
		SettingChecks.check(minimumNumberOfCalls >= 1, "circuit-breaker.minimum-number-of-calls",
				minimumNumberOfCalls, "be 1 or more");
		SettingChecks.notNull("circuit-breaker.sliding-window-type", slidingWindowType);
		SettingChecks.check(slidingWindowSize >= 1, "circuit-breaker.sliding-window-size", slidingWindowSize,
				"be 1 or more");
		SettingChecks.positive("circuit-breaker.wait-duration-in-open-state", waitDurationInOpenState);
		SettingChecks.check(permittedNumberOfCallsInHalfOpenState >= 1,
				"circuit-breaker.permitted-number-of-calls-in-half-open-state", permittedNumberOfCallsInHalfOpenState,
				"be 1 or more");
	}

	/**
	 * Return a copy that is on or off.
	 * @param enabled whether the client has a circuit breaker
	 * @return the copy
	 */
	public CircuitBreakerSettings withEnabled(boolean enabled) {
		return new CircuitBreakerSettings(enabled, this.failureRateThreshold, this.slowCallRateThreshold,
				this.slowCallDurationThreshold, this.minimumNumberOfCalls, this.slidingWindowType,
				this.slidingWindowSize, this.waitDurationInOpenState, this.permittedNumberOfCallsInHalfOpenState);
	}

	/**
	 * Return resilience4j's configuration of these settings. The circuit moves from open to half-open when the
	 * next attempt asks after the wait, so that no timer thread is needed, and the window is resilience4j's
	 * lock-free one, so that recording an outcome never waits for a lock.
	 * @return the configuration
	 */
	public CircuitBreakerConfig toResilience4jConfig() {
		return CircuitBreakerConfig.custom()
			.slidingWindowSynchronizationStrategy(SlidingWindowSynchronizationStrategy.LOCK_FREE)
			.failureRateThreshold(this.failureRateThreshold)
			.slowCallRateThreshold(this.slowCallRateThreshold)
			.slowCallDurationThreshold(this.slowCallDurationThreshold)
			.minimumNumberOfCalls(this.minimumNumberOfCalls)
			.slidingWindowType(this.slidingWindowType)
			.slidingWindowSize(this.slidingWindowSize)
			.waitDurationInOpenState(this.waitDurationInOpenState)
			.permittedNumberOfCallsInHalfOpenState(this.permittedNumberOfCallsInHalfOpenState)
			.build();
	}

}
