package io.pepperpy.network.http;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.GuardedAttempt;
import io.pepperpy.network.internal.circuit.CircuitGuard;
import io.pepperpy.network.internal.limit.PermitGate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Runs a call's attempts one after another: each takes a rate-limit permit ({@link RateLimitOperator}), passes
 * the circuit breaker when the client has one ({@link GuardedAttempt}), runs ({@link Attempt}), and when it ends
 * in a retry the {@link FollowUpDecider} ordered (after a status or a transport failure), waits the delay on a
 * Reactor timer and starts the next. No thread sleeps and nothing is thrown to steer the loop: an attempt ends in
 * a result, in nothing with a retry's delay in the {@link CallState}, or in a failure the decider is asked about.
 * <p>
 * The circuit breaker sits around each attempt, inside the retry loop, so that every attempt counts (as in .NET's
 * standard resilience handler), and inside the rate limiter, so that the circuit decides when the attempt is
 * about to be sent, not when it starts waiting for a permit. The decider never retries
 * {@link NetworkException.Kind#CIRCUIT_OPEN}, so a refused attempt costs no retry budget either.
 */
final class RetryLoop {

	private final Attempt attempt;

	private final FollowUpDecider decider;

	private final PermitGate gate;

	private final Duration rateLimitTimeout;

	private final BooleanSupplier clientCut;

	private final @Nullable CircuitGuard circuit;

	RetryLoop(Attempt attempt, FollowUpDecider decider, PermitGate gate, Duration rateLimitTimeout,
			BooleanSupplier clientCut, @Nullable CircuitGuard circuit) {
		this.attempt = attempt;
		this.circuit = circuit;
		this.clientCut = clientCut;
		this.decider = decider;
		this.gate = gate;
		this.rateLimitTimeout = rateLimitTimeout;
	}

	<R> Mono<R> run(CallState<R> state) {
		int number = ++state.attempt;
		Mono<R> attempt = Mono.defer(() -> this.attempt.run(state, number));
		if (this.circuit != null) {
			attempt = new GuardedAttempt<>(attempt, this.circuit, state.call.method().name(),
					state.call.displayUrl(), state);
		}
		if (!this.gate.isOpen()) {
			attempt = attempt.transform(new RateLimitOperator<>(this.gate, state, this.rateLimitTimeout,
					this.circuit));
		}
		if (state.call.retries() == 0) {
			// Without retries nothing is retried: the decider need not see failures, nor can a response order one.
			return attempt;
		}
		return attempt.onErrorResume(NetworkException.class, (failure) -> afterFailure(state, failure))
			.switchIfEmpty(Mono.defer(() -> afterEmpty(state)));
	}

	/**
	 * After a transport failure: the next attempt after the decider's delay, or the call's failure.
	 */
	private <R> Mono<R> afterFailure(CallState<R> state, NetworkException failure) {
		if (this.clientCut.getAsBoolean()) {
			// A client that cut its calls at the end of its shutdown grace period starts no new attempt.
			return Mono.error(failure);
		}
		FollowUpDecider.FollowUp next = this.decider.onFailure(state, failure);
		if (next instanceof FollowUpDecider.Retry retry) {
			return nextAttempt(state, retry.delayMillis());
		}
		return Mono.error(((FollowUpDecider.Fail) next).error());
	}

	/**
	 * After an attempt that ended empty: the next attempt when it ended so because the decider ordered a retry
	 * after its response, else the call's (empty) result.
	 */
	private <R> Mono<R> afterEmpty(CallState<R> state) {
		long delay = state.takeRetryDelay();
		return (delay >= 0) ? nextAttempt(state, delay) : Mono.empty();
	}

	private <R> Mono<R> nextAttempt(CallState<R> state, long delayMillis) {
		return Mono.delay(Duration.ofMillis(delayMillis)).then(Mono.defer(() -> run(state)));
	}

}
