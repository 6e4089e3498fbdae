package io.pepperpy.network.http;

import java.util.concurrent.atomic.AtomicBoolean;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.circuit.CircuitGuard;
import reactor.core.publisher.Mono;

/**
 * The circuit breaker's place in the pipeline: around each attempt, inside the retry loop, so that every attempt
 * counts (as in .NET's standard resilience handler). It has two halves:
 * <ul>
 * <li>{@link #admit} is the outermost step of an attempt, before the rate limiter: an open circuit fails the attempt
 * at once with {@link NetworkException.Kind#CIRCUIT_OPEN}, before it takes a rate-limit permit. The retry decider
 * never retries that kind, so it costs no retry budget either.</li>
 * <li>{@link #record} is the innermost: it times the attempt from when it starts (a wait for a permit is not the
 * partner's slowness) and records its outcome. 5xx, timeouts, connect, TLS, protocol and I/O failures are
 * failures; other answers, 4xx included, are successes; 429 (a rate limit, which already pauses the client),
 * cancellations and failures of our own making (an interceptor, the pool, the limiter) are not recorded.</li>
 * </ul>
 * An admitted attempt that ends before it is recorded (the limiter refused it, or it was cancelled) gives its
 * permission back, so a half-open circuit never waits for a probe that will not come.
 */
final class CircuitBreakerStage {

	private final CircuitGuard guard;

	CircuitBreakerStage(CircuitGuard guard) {
		this.guard = guard;
	}

	/**
	 * Admit the attempt or fail it at once.
	 * @param attempt the attempt, rate limiter included
	 * @param state the call
	 * @param settled set once the attempt's permission is recorded or given back, shared with {@link #record}
	 */
	<R> Mono<R> admit(Mono<R> attempt, CallState<R> state, AtomicBoolean settled) {
		return Mono.defer(() -> {
			Call call = state.call;
			NetworkException refused = this.guard.admit(call.method().name(), call.displayUrl());
			if (refused != null) {
				return Mono.error(refused);
			}
			return attempt.doFinally((signal) -> ignore(settled));
		});
	}

	/**
	 * Time the attempt and record how it ended.
	 * @param attempt the attempt itself
	 * @param state the call
	 * @param settled set once the attempt's permission is recorded or given back, shared with {@link #admit}
	 */
	<R> Mono<R> record(Mono<R> attempt, CallState<R> state, AtomicBoolean settled) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return attempt.doOnSuccess((result) -> afterAnswer(state, settled, start))
				.doOnError((failure) -> afterFailure(settled, start, failure));
		});
	}

	/**
	 * An attempt that ended with a response: a result, or empty when a retry was ordered after it.
	 */
	private void afterAnswer(CallState<?> state, AtomicBoolean settled, long start) {
		int status = state.lastStatus;
		if (status >= 500) {
			Call call = state.call;
			failure(settled, start, NetworkException.of(NetworkException.Kind.STATUS,
					call.method() + " " + call.displayUrl() + " answered " + status, call.method().name(),
					call.displayUrl(), null));
		}
		else if (status == 429) {
			ignore(settled);
		}
		else {
			success(settled, start);
		}
	}

	private void afterFailure(AtomicBoolean settled, long start, Throwable failure) {
		if (!(failure instanceof NetworkException network)) {
			ignore(settled);
			return;
		}
		switch (network.kind()) {
			case CONNECT, TIMEOUT, TLS, PROTOCOL, IO -> failure(settled, start, failure);
			case STATUS -> {
				if (network.status() >= 500) {
					failure(settled, start, failure);
				}
				else if (network.status() == 429) {
					ignore(settled);
				}
				else {
					success(settled, start);
				}
			}
			case DECODING, BODY_TOO_LARGE -> success(settled, start);
			default -> ignore(settled);
		}
	}

	private void success(AtomicBoolean settled, long start) {
		if (settled.compareAndSet(false, true)) {
			this.guard.onSuccess(System.nanoTime() - start);
		}
	}

	private void failure(AtomicBoolean settled, long start, Throwable failure) {
		if (settled.compareAndSet(false, true)) {
			this.guard.onFailure(System.nanoTime() - start, failure);
		}
	}

	private void ignore(AtomicBoolean settled) {
		if (settled.compareAndSet(false, true)) {
			this.guard.release();
		}
	}

}
