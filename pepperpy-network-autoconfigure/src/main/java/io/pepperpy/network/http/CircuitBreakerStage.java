package io.pepperpy.network.http;

import java.util.concurrent.atomic.AtomicBoolean;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.circuit.CircuitGuard;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The circuit breaker's place in the pipeline: around each attempt, inside the retry loop, so that every attempt
 * counts (as in .NET's standard resilience handler), and inside the rate limiter, so that the circuit decides when
 * the attempt is about to be sent, not when it starts waiting for a permit:
 * <ul>
 * <li>An open circuit fails the attempt at once with {@link NetworkException.Kind#CIRCUIT_OPEN}. The
 * {@link RateLimitOperator} outside this stage refuses it before it takes a permit, and fails it while it waits
 * for one when the circuit opens ({@link CircuitGuard#awaitPermit}). The retry decider never retries that kind,
 * so it costs no retry budget either.</li>
 * <li>An admitted attempt is timed from when it starts sending ({@link CallState#attemptStartNanos}: a wait for a
 * permit is not the partner's slowness) and its outcome recorded by {@link CircuitGuard#onOutcome}'s rule; a
 * response delivered without an error (a retry ordered after it, or {@code raise-for-status: false}) counts by
 * its status the same way. A cancelled attempt gives its permission back unrecorded, so a half-open circuit never
 * waits for a probe that will not come.</li>
 * </ul>
 * One small operator per attempt, with no lambda: a closed breaker must cost a healthy partner next to nothing.
 */
final class CircuitBreakerStage {

	private final CircuitGuard guard;

	CircuitBreakerStage(CircuitGuard guard) {
		this.guard = guard;
	}

	CircuitGuard guard() {
		return this.guard;
	}

	/**
	 * Guard an attempt: admit it or fail it at once, then record how it ended.
	 * @param attempt the attempt, rate limiter included
	 * @param state the call
	 * @return the guarded attempt
	 */
	<R> Mono<R> guard(Mono<R> attempt, CallState<R> state) {
		return new Guarded<>(attempt, state, this);
	}

	/**
	 * An attempt that ended with a response: a result, or empty when a retry was ordered after it.
	 */
	private void afterAnswer(CallState<?> state) {
		int status = state.lastStatus;
		if (status >= 500) {
			Call call = state.call;
			this.guard.onFailure(elapsed(state), NetworkException.of(NetworkException.Kind.STATUS,
					call.method() + " " + call.displayUrl() + " answered " + status, call.method().name(),
					call.displayUrl(), null));
		}
		else if (status == 429) {
			this.guard.release();
		}
		else {
			this.guard.onSuccess(elapsed(state));
		}
	}

	private static long elapsed(CallState<?> state) {
		long start = state.attemptStartNanos;
		return (start != 0) ? System.nanoTime() - start : 0;
	}

	/**
	 * The guarded attempt: asks the circuit at subscription, once any rate-limit permit is in hand.
	 */
	private static final class Guarded<R> extends Mono<R> {

		private final Mono<R> attempt;

		private final CallState<R> state;

		private final CircuitBreakerStage stage;

		Guarded(Mono<R> attempt, CallState<R> state, CircuitBreakerStage stage) {
			this.attempt = attempt;
			this.state = state;
			this.stage = stage;
		}

		@Override
		public void subscribe(CoreSubscriber<? super R> actual) {
			Call call = this.state.call;
			NetworkException refused = this.stage.guard.admit(call.method().name(), call.displayUrl());
			if (refused != null) {
				Operators.error(actual, refused);
				return;
			}
			this.state.attemptStartNanos = 0;
			this.attempt.subscribe(new Outcome<>(actual, this.state, this.stage));
		}

	}

	/**
	 * Records the first signal of an admitted attempt, or gives the permission back when it is cancelled first.
	 */
	private static final class Outcome<R> extends AtomicBoolean implements CoreSubscriber<R>, Subscription {

		private final CoreSubscriber<? super R> actual;

		private final CallState<R> state;

		private final CircuitBreakerStage stage;

		private Subscription upstream;

		Outcome(CoreSubscriber<? super R> actual, CallState<R> state, CircuitBreakerStage stage) {
			this.actual = actual;
			this.state = state;
			this.stage = stage;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}

		@Override
		public void onNext(R result) {
			if (compareAndSet(false, true)) {
				this.stage.afterAnswer(this.state);
			}
			this.actual.onNext(result);
		}

		@Override
		public void onError(Throwable failure) {
			if (compareAndSet(false, true)) {
				this.stage.guard.onOutcome(elapsed(this.state), failure);
			}
			this.actual.onError(failure);
		}

		@Override
		public void onComplete() {
			if (compareAndSet(false, true)) {
				this.stage.afterAnswer(this.state);
			}
			this.actual.onComplete();
		}

		@Override
		public void request(long n) {
			this.upstream.request(n);
		}

		@Override
		public void cancel() {
			if (compareAndSet(false, true)) {
				this.stage.guard.release();
			}
			this.upstream.cancel();
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

	}

}
