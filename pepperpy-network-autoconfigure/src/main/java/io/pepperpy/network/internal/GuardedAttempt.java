package io.pepperpy.network.internal;

import java.util.concurrent.atomic.AtomicBoolean;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.circuit.CircuitGuard;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * The circuit breaker around one attempt, for both clients: it asks the circuit at subscription (once any
 * rate-limit permit is in hand, right before the attempt is sent) and fails the attempt at once with
 * {@link NetworkException.Kind#CIRCUIT_OPEN} when it is refused; it records the first signal of an admitted
 * attempt (an answer by the protocol's {@link AttemptOutcome}, a failure by {@link CircuitGuard#onOutcome}) and
 * gives the permission back unrecorded when the attempt is cancelled first, so a half-open circuit never waits for
 * a probe that will not come.
 * <p>
 * Two small objects per attempt (this and its subscriber) and no lambda: a closed breaker must cost a healthy
 * partner next to nothing.
 *
 * @param <T> the attempt's result type
 */
public final class GuardedAttempt<T> extends Mono<T> {

	private final Mono<T> attempt;

	private final CircuitGuard guard;

	private final String method;

	private final String target;

	private final AttemptOutcome outcome;

	/**
	 * Guard an attempt.
	 * @param attempt the attempt, subscribed to once it is admitted
	 * @param guard the client's circuit
	 * @param method the HTTP method or TCP operation, for the refusal
	 * @param target the URL (as it may be shown) or address, for the refusal
	 * @param outcome how the protocol's attempts count
	 */
	public GuardedAttempt(Mono<T> attempt, CircuitGuard guard, String method, String target,
			AttemptOutcome outcome) {
		this.attempt = attempt;
		this.guard = guard;
		this.method = method;
		this.target = target;
		this.outcome = outcome;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		NetworkException refused = this.guard.admit(this.method, this.target);
		if (refused != null) {
			Operators.error(actual, refused);
			return;
		}
		this.outcome.admitted();
		this.attempt.subscribe(new Outcome<>(actual, this.guard, this.outcome, System.nanoTime()));
	}

	/**
	 * Records the first signal of an admitted attempt, or gives the permission back when it is cancelled first.
	 */
	private static final class Outcome<T> extends AtomicBoolean implements CoreSubscriber<T>, Subscription {

		private final CoreSubscriber<? super T> actual;

		private final CircuitGuard guard;

		private final AttemptOutcome outcome;

		private final long admittedNanos;

		private Subscription upstream;

		Outcome(CoreSubscriber<? super T> actual, CircuitGuard guard, AttemptOutcome outcome, long admittedNanos) {
			this.actual = actual;
			this.guard = guard;
			this.outcome = outcome;
			this.admittedNanos = admittedNanos;
		}

		private long elapsed() {
			long start = this.outcome.startNanos(this.admittedNanos);
			return (start != 0) ? System.nanoTime() - start : 0;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}

		@Override
		public void onNext(T result) {
			if (compareAndSet(false, true)) {
				this.outcome.answered(this.guard, elapsed());
			}
			this.actual.onNext(result);
		}

		@Override
		public void onError(Throwable failure) {
			if (compareAndSet(false, true)) {
				this.guard.onOutcome(elapsed(), this.outcome.failure(failure));
			}
			this.actual.onError(failure);
		}

		@Override
		public void onComplete() {
			if (compareAndSet(false, true)) {
				this.outcome.answered(this.guard, elapsed());
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
				this.guard.release();
			}
			this.upstream.cancel();
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

	}

}
