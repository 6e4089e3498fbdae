package io.pepperpy.network.http;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.limit.PermitGate;
import reactor.core.publisher.Mono;

/**
 * Runs a call's attempts one after another: each takes a rate-limit permit ({@link RateLimitOperator}), runs
 * ({@link Attempt}), and when it ends in a retry the {@link FollowUpDecider} ordered (after a status or a
 * transport failure), waits the delay on a Reactor timer and starts the next. No thread sleeps and nothing is
 * thrown to steer the loop: an attempt ends in a result, a retry, or the call's failure.
 */
final class RetryLoop {

	private final Attempt attempt;

	private final FollowUpDecider decider;

	private final PermitGate gate;

	private final Duration rateLimitTimeout;

	private final BooleanSupplier clientCut;

	RetryLoop(Attempt attempt, FollowUpDecider decider, PermitGate gate, Duration rateLimitTimeout,
			BooleanSupplier clientCut) {
		this.attempt = attempt;
		this.clientCut = clientCut;
		this.decider = decider;
		this.gate = gate;
		this.rateLimitTimeout = rateLimitTimeout;
	}

	<R> Mono<R> run(CallState<R> state) {
		int number = ++state.attempt;
		Mono<Attempt.Result<R>> attempt = Mono.defer(() -> this.attempt.run(state, number));
		if (!this.gate.isOpen()) {
			attempt = attempt.transform(new RateLimitOperator<>(this.gate, state, this.rateLimitTimeout));
		}
		if (state.call.retries() > 0) {
			// Without retries no transport failure can be retried, so the decider need not see them.
			attempt = attempt.onErrorResume(NetworkException.class, (failure) -> afterFailure(state, failure));
		}
		return attempt.flatMap((result) -> result.isRetry()
				? Mono.delay(Duration.ofMillis(result.retryDelayMillis)).then(Mono.defer(() -> run(state)))
				: Mono.justOrEmpty(result.value));
	}

	private <R> Mono<Attempt.Result<R>> afterFailure(CallState<R> state, NetworkException failure) {
		if (this.clientCut.getAsBoolean()) {
			// A client that cut its calls at the end of its shutdown grace period starts no new attempt.
			return Mono.error(failure);
		}
		FollowUpDecider.FollowUp next = this.decider.onFailure(state, failure);
		if (next instanceof FollowUpDecider.Retry retry) {
			return Mono.just(Attempt.Result.retryIn(retry.delayMillis()));
		}
		return Mono.error(((FollowUpDecider.Fail) next).error());
	}

}
