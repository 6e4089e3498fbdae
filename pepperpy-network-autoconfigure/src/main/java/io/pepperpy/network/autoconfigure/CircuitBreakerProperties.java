package io.pepperpy.network.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationUnit;

import static java.util.Objects.requireNonNullElse;

/**
 * A client's circuit breaker ({@code circuit-breaker.*}), shared by the HTTP and TCP clients' properties. The names
 * are resilience4j's; a property that is not set
 * ({@code null}) takes its value from {@link CircuitBreakerSettings#DEFAULTS}, the one place the defaults are
 * written.
 */
public class CircuitBreakerProperties {

	/**
	 * Whether each attempt passes a circuit breaker that, once the partner fails too often, fails attempts at once
	 * with CIRCUIT_OPEN instead of sending them.
	 */
	private @Nullable Boolean enabled;

	/**
	 * Percentage of recorded attempts that failed (5xx, timeouts, connect and I/O failures) at or above which the
	 * circuit opens.
	 */
	private @Nullable Float failureRateThreshold;

	/**
	 * Percentage of recorded attempts slower than slow-call-duration-threshold at or above which the circuit opens.
	 */
	private @Nullable Float slowCallRateThreshold;

	/**
	 * How long an attempt may take before it counts as slow.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration slowCallDurationThreshold;

	/**
	 * Attempts recorded in the window before the rates are worked out at all.
	 */
	private @Nullable Integer minimumNumberOfCalls;

	/**
	 * Whether the window holds the last sliding-window-size attempts (count-based) or those of the last
	 * sliding-window-size seconds (time-based).
	 */
	private @Nullable SlidingWindowType slidingWindowType;

	/**
	 * Size of the window, in attempts or seconds.
	 */
	private @Nullable Integer slidingWindowSize;

	/**
	 * How long the circuit stays open before it lets probes through.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration waitDurationInOpenState;

	/**
	 * Probes let through once the wait is over; their outcome closes or reopens the circuit.
	 */
	private @Nullable Integer permittedNumberOfCallsInHalfOpenState;

	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Float getFailureRateThreshold() {
		return this.failureRateThreshold;
	}

	public void setFailureRateThreshold(@Nullable Float failureRateThreshold) {
		this.failureRateThreshold = failureRateThreshold;
	}

	public @Nullable Float getSlowCallRateThreshold() {
		return this.slowCallRateThreshold;
	}

	public void setSlowCallRateThreshold(@Nullable Float slowCallRateThreshold) {
		this.slowCallRateThreshold = slowCallRateThreshold;
	}

	public @Nullable Duration getSlowCallDurationThreshold() {
		return this.slowCallDurationThreshold;
	}

	public void setSlowCallDurationThreshold(@Nullable Duration slowCallDurationThreshold) {
		this.slowCallDurationThreshold = slowCallDurationThreshold;
	}

	public @Nullable Integer getMinimumNumberOfCalls() {
		return this.minimumNumberOfCalls;
	}

	public void setMinimumNumberOfCalls(@Nullable Integer minimumNumberOfCalls) {
		this.minimumNumberOfCalls = minimumNumberOfCalls;
	}

	public @Nullable SlidingWindowType getSlidingWindowType() {
		return this.slidingWindowType;
	}

	public void setSlidingWindowType(@Nullable SlidingWindowType slidingWindowType) {
		this.slidingWindowType = slidingWindowType;
	}

	public @Nullable Integer getSlidingWindowSize() {
		return this.slidingWindowSize;
	}

	public void setSlidingWindowSize(@Nullable Integer slidingWindowSize) {
		this.slidingWindowSize = slidingWindowSize;
	}

	public @Nullable Duration getWaitDurationInOpenState() {
		return this.waitDurationInOpenState;
	}

	public void setWaitDurationInOpenState(@Nullable Duration waitDurationInOpenState) {
		this.waitDurationInOpenState = waitDurationInOpenState;
	}

	public @Nullable Integer getPermittedNumberOfCallsInHalfOpenState() {
		return this.permittedNumberOfCallsInHalfOpenState;
	}

	public void setPermittedNumberOfCallsInHalfOpenState(@Nullable Integer permittedNumberOfCallsInHalfOpenState) {
		this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
	}

	/**
	 * Map these properties to the settings, which check them; a value that is not set is the default's.
	 * @return the settings
	 * @throws io.pepperpy.network.InvalidSettingException naming the first invalid value
	 */
	public CircuitBreakerSettings toSettings() {
		CircuitBreakerSettings defaults = CircuitBreakerSettings.DEFAULTS;
		return new CircuitBreakerSettings(requireNonNullElse(this.enabled, defaults.enabled()),
				requireNonNullElse(this.failureRateThreshold, defaults.failureRateThreshold()),
				requireNonNullElse(this.slowCallRateThreshold, defaults.slowCallRateThreshold()),
				requireNonNullElse(this.slowCallDurationThreshold, defaults.slowCallDurationThreshold()),
				requireNonNullElse(this.minimumNumberOfCalls, defaults.minimumNumberOfCalls()),
				requireNonNullElse(this.slidingWindowType, defaults.slidingWindowType()),
				requireNonNullElse(this.slidingWindowSize, defaults.slidingWindowSize()),
				requireNonNullElse(this.waitDurationInOpenState, defaults.waitDurationInOpenState()),
				requireNonNullElse(this.permittedNumberOfCallsInHalfOpenState, defaults.permittedNumberOfCallsInHalfOpenState()));
	}

}
