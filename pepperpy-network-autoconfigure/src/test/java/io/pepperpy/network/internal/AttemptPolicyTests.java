package io.pepperpy.network.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.RetrySettings;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import io.pepperpy.network.internal.circuit.CircuitGuard;
import io.pepperpy.network.internal.limit.PermitUnavailableException;
import io.pepperpy.network.internal.limit.RateGate;
import io.pepperpy.network.internal.limit.RateLimitListener;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.test.StepVerifier;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AttemptPolicy}: which retry policy a call follows, and how an attempt is refused a rate-limit permit, with
 * a real {@link RateGate} on a clock the test holds still.
 */
class AttemptPolicyTests {

	private static final RetrySettings CONFIGURED = new RetrySettings(2, Duration.ofMillis(100), 2.0,
			Duration.ofSeconds(5), Duration.ZERO);

	private final RetryPolicy configuredPolicy = CONFIGURED.toRetryPolicy();

	@Test
	void aCallThatKeepsTheConfiguredRetriesAndDelayFollowsTheClientsPolicy() {
		assertThat(AttemptPolicy.retryPolicy(this.configuredPolicy, CONFIGURED, 2, Duration.ofMillis(100)))
			.isSameAs(this.configuredPolicy);
	}

	@Test
	void aCallWithItsOwnRetriesOrDelayFollowsADerivedPolicy() {
		RetryPolicy more = AttemptPolicy.retryPolicy(this.configuredPolicy, CONFIGURED, 4, Duration.ofMillis(100));
		assertThat(more).isNotSameAs(this.configuredPolicy);
		assertThat(delays(more)).containsExactly(100L, 200L, 400L, 800L);
		RetryPolicy slower = AttemptPolicy.retryPolicy(this.configuredPolicy, CONFIGURED, 2, Duration.ofMillis(300));
		assertThat(delays(slower)).containsExactly(300L, 600L);
	}

	@Test
	void aClientWithoutAPolicyDerivesOneEvenForTheConfiguredRetries() {
		assertThat(delays(AttemptPolicy.retryPolicy(null, CONFIGURED, 2, Duration.ofMillis(100))))
			.containsExactly(100L, 200L);
	}

	@Test
	void aRefusedPermitFailsTheAttemptAsRateLimited() {
		RateGate gate = new RateGate(1, new AtomicLong(5_000_000_000L)::get, RateLimitListener.NONE);
		StepVerifier.create(AttemptPolicy.permit(gate, Duration.ZERO, null, "EXCHANGE", "tcp://127.0.0.1:9"))
			.verifyComplete();
		StepVerifier.create(AttemptPolicy.permit(gate, Duration.ZERO, null, "EXCHANGE", "tcp://127.0.0.1:9"))
			.expectErrorSatisfies((error) -> {
				assertThat(error).isInstanceOf(NetworkException.class)
					.hasMessage("EXCHANGE tcp://127.0.0.1:9 was not sent: a permit would take 1000 ms, longer than "
							+ "the 0 ms the call may wait (rate-limit-timeout or deadline)")
					.hasCauseInstanceOf(PermitUnavailableException.class);
				NetworkException network = (NetworkException) error;
				assertThat(network.kind()).isEqualTo(NetworkException.Kind.RATE_LIMITED);
				assertThat(network.method()).isEqualTo("EXCHANGE");
				assertThat(network.url()).isEqualTo("tcp://127.0.0.1:9");
			})
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void anOpenCircuitRefusesTheAttemptBeforeItTakesAPermit() {
		CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
		breakers.circuitBreaker("partner").transitionToForcedOpenState();
		CircuitGuard circuit = CircuitGuard.create("partner", "test client 'partner'",
				CircuitBreakerSettings.DEFAULTS.withEnabled(true), breakers,
				LoggerFactory.getLogger(AttemptPolicyTests.class), null, "test.", List.of());
		RateGate gate = new RateGate(1, new AtomicLong(5_000_000_000L)::get, RateLimitListener.NONE);
		StepVerifier.create(AttemptPolicy.permit(gate, Duration.ZERO, circuit, "GET", "https://api.example/"))
			.expectErrorSatisfies((error) -> assertThat(((NetworkException) error).kind())
				.isEqualTo(NetworkException.Kind.CIRCUIT_OPEN))
			.verify(Duration.ofSeconds(5));
		// The refused attempt took no permit: the next caller gets the one that was free.
		StepVerifier.create(AttemptPolicy.permit(gate, Duration.ZERO, null, "GET", "https://api.example/"))
			.verifyComplete();
	}

	private static List<Long> delays(RetryPolicy policy) {
		BackOffExecution execution = policy.getBackOff().start();
		List<Long> delays = new java.util.ArrayList<>();
		for (long delay = execution.nextBackOff(); delay != BackOffExecution.STOP; delay = execution.nextBackOff()) {
			delays.add(delay);
		}
		return delays;
	}

}
