package io.pepperpy.network.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.pepperpy.network.circuit.CircuitBreakerSettings;

import org.springframework.boot.convert.DurationUnit;

/**
 * A client's circuit breaker ({@code circuit-breaker.*}), shared by the HTTP and TCP clients' properties. The names
 * are resilience4j's; the defaults are {@link CircuitBreakerSettings#DEFAULTS}.
 */
public class CircuitBreakerProperties {

	/**
	 * Whether each attempt passes a circuit breaker that, once the partner fails too often, fails attempts at once
	 * with CIRCUIT_OPEN instead of sending them.
	 */
	private boolean enabled;

	/**
	 * Percentage of recorded attempts that failed (5xx, timeouts, connect and I/O failures) at or above which the
	 * circuit opens.
	 */
	private float failureRateThreshold = 50;

	/**
	 * Percentage of recorded attempts slower than slow-call-duration-threshold at or above which the circuit opens.
	 */
	private float slowCallRateThreshold = 100;

	/**
	 * How long an attempt may take before it counts as slow.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration slowCallDurationThreshold = Duration.ofSeconds(10);

	/**
	 * Attempts recorded in the window before the rates are worked out at all.
	 */
	private int minimumNumberOfCalls = 20;

	/**
	 * Whether the window holds the last sliding-window-size attempts (count-based) or those of the last
	 * sliding-window-size seconds (time-based).
	 */
	private SlidingWindowType slidingWindowType = SlidingWindowType.COUNT_BASED;

	/**
	 * Size of the window, in attempts or seconds.
	 */
	private int slidingWindowSize = 50;

	/**
	 * How long the circuit stays open before it lets probes through.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration waitDurationInOpenState = Duration.ofSeconds(30);

	/**
	 * Probes let through once the wait is over; their outcome closes or reopens the circuit.
	 */
	private int permittedNumberOfCallsInHalfOpenState = 3;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public float getFailureRateThreshold() {
		return this.failureRateThreshold;
	}

	public void setFailureRateThreshold(float failureRateThreshold) {
		this.failureRateThreshold = failureRateThreshold;
	}

	public float getSlowCallRateThreshold() {
		return this.slowCallRateThreshold;
	}

	public void setSlowCallRateThreshold(float slowCallRateThreshold) {
		this.slowCallRateThreshold = slowCallRateThreshold;
	}

	public Duration getSlowCallDurationThreshold() {
		return this.slowCallDurationThreshold;
	}

	public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
		this.slowCallDurationThreshold = slowCallDurationThreshold;
	}

	public int getMinimumNumberOfCalls() {
		return this.minimumNumberOfCalls;
	}

	public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
		this.minimumNumberOfCalls = minimumNumberOfCalls;
	}

	public SlidingWindowType getSlidingWindowType() {
		return this.slidingWindowType;
	}

	public void setSlidingWindowType(SlidingWindowType slidingWindowType) {
		this.slidingWindowType = slidingWindowType;
	}

	public int getSlidingWindowSize() {
		return this.slidingWindowSize;
	}

	public void setSlidingWindowSize(int slidingWindowSize) {
		this.slidingWindowSize = slidingWindowSize;
	}

	public Duration getWaitDurationInOpenState() {
		return this.waitDurationInOpenState;
	}

	public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
		this.waitDurationInOpenState = waitDurationInOpenState;
	}

	public int getPermittedNumberOfCallsInHalfOpenState() {
		return this.permittedNumberOfCallsInHalfOpenState;
	}

	public void setPermittedNumberOfCallsInHalfOpenState(int permittedNumberOfCallsInHalfOpenState) {
		this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
	}

	/**
	 * Map these properties to the settings, which check them.
	 * @return the settings
	 * @throws io.pepperpy.network.InvalidSettingException naming the first invalid value
	 */
	public CircuitBreakerSettings toSettings() {
		return new CircuitBreakerSettings(this.enabled, this.failureRateThreshold,
				this.slowCallRateThreshold, this.slowCallDurationThreshold, this.minimumNumberOfCalls,
				this.slidingWindowType, this.slidingWindowSize, this.waitDurationInOpenState,
				this.permittedNumberOfCallsInHalfOpenState);
	}

}
