package io.pepperpy.network.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import io.pepperpy.network.internal.circuit.CircuitGuard;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GuardedAttempt} and the rules it applies ({@link CircuitGuard#onOutcome}, {@link CircuitGuard#onResponse}),
 * with a real resilience4j breaker whose window the test reads.
 */
class GuardedAttemptTests {

	/** Records up to 10 attempts before it judges; probes 1 attempt when half-open. */
	private static final CircuitBreakerSettings TEN = new CircuitBreakerSettings(true, 50, 100,
			Duration.ofSeconds(10), 10, SlidingWindowType.COUNT_BASED, 10, Duration.ofSeconds(10), 1);

	private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();

	private final CircuitGuard guard = CircuitGuard.create("partner", "test client 'partner'", TEN, this.breakers,
			LoggerFactory.getLogger(GuardedAttemptTests.class), null, "test.", List.of());

	private final CircuitBreaker breaker = this.breakers.circuitBreaker("partner");

	/** A reply is a success; a failure is judged as it is. */
	private final AttemptOutcome reply = (guard, nanos) -> guard.onSuccess(nanos);

	private <T> Mono<T> guarded(Mono<T> attempt, AttemptOutcome outcome) {
		return new GuardedAttempt<>(attempt, this.guard, "EXCHANGE", "tcp://partner:9", outcome);
	}

	@Test
	void anAnswerCountsByTheProtocolsRule() {
		StepVerifier.create(guarded(Mono.just("pong"), this.reply)).expectNext("pong").verifyComplete();
		StepVerifier.create(guarded(Mono.empty(), this.reply)).verifyComplete();
		assertThat(this.breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(2);
	}

	@Test
	void aFailureCountsByTheSharedRuleOnceTheProtocolTranslatedIt() {
		AttemptOutcome translating = new AttemptOutcome() {

			@Override
			public void answered(CircuitGuard guard, long nanos) {
				guard.onSuccess(nanos);
			}

			@Override
			public Throwable failure(Throwable error) {
				return NetworkException.of(NetworkException.Kind.IO, "translated", null, null, error);
			}

		};
		StepVerifier.create(guarded(Mono.error(new IOException("reset")), translating))
			.expectErrorMessage("reset")
			.verify(Duration.ofSeconds(5));
		// Untranslated, an IOException is not a NetworkException: nothing would be recorded.
		StepVerifier.create(guarded(Mono.error(new IOException("reset")), this.reply))
			.expectErrorMessage("reset")
			.verify(Duration.ofSeconds(5));
		assertThat(this.breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
		assertThat(this.breaker.getMetrics().getNumberOfBufferedCalls()).isEqualTo(1);
	}

	@Test
	void aResponseCountsByItsStatus() {
		this.guard.onResponse(1_000, 503, "GET", "https://partner/x");
		this.guard.onResponse(1_000, 429, "GET", "https://partner/x");
		this.guard.onResponse(1_000, 404, "GET", "https://partner/x");
		this.guard.onResponse(1_000, 200, "GET", "https://partner/x");
		assertThat(this.breaker.getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
		assertThat(this.breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(2);
	}

	@Test
	void anHttpAttemptIsTimedFromWhenItStartedSending() {
		AtomicInteger admitted = new AtomicInteger();
		long[] answeredNanos = new long[1];
		AttemptOutcome neverSent = new AttemptOutcome() {

			@Override
			public void admitted() {
				admitted.incrementAndGet();
			}

			@Override
			public long startNanos(long admittedNanos) {
				return 0;
			}

			@Override
			public void answered(CircuitGuard guard, long nanos) {
				answeredNanos[0] = nanos;
				guard.onResponse(nanos, 200, "GET", "https://partner/x");
			}

		};
		StepVerifier.create(guarded(Mono.delay(Duration.ofMillis(20)), neverSent)).expectNext(0L).verifyComplete();
		assertThat(admitted).hasValue(1);
		assertThat(answeredNanos[0]).isZero();
	}

	@Test
	void aCancelledAttemptGivesItsPermissionBackUnrecorded() {
		this.breaker.transitionToOpenState();
		this.breaker.transitionToHalfOpenState();
		Disposable running = guarded(Mono.never(), this.reply).subscribe();
		// The one probe is out: the next attempt is refused without being subscribed to.
		AtomicInteger subscribed = new AtomicInteger();
		StepVerifier.create(guarded(Mono.just(1).doOnSubscribe((s) -> subscribed.incrementAndGet()), this.reply))
			.expectErrorSatisfies((error) -> assertThat(((NetworkException) error).kind())
				.isEqualTo(NetworkException.Kind.CIRCUIT_OPEN))
			.verify(Duration.ofSeconds(5));
		assertThat(subscribed).hasValue(0);
		running.dispose();
		assertThat(this.breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
		// Its permission came back: the next probe goes, and its success closes the circuit.
		StepVerifier.create(guarded(Mono.just(1), this.reply)).expectNext(1).verifyComplete();
		assertThat(this.guard.state()).isEqualTo("closed");
	}

}
