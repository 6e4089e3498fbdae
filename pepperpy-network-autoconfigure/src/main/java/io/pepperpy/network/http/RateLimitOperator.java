package io.pepperpy.network.http;

import java.time.Duration;
import java.util.function.Function;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.AttemptPolicy;
import io.pepperpy.network.internal.circuit.CircuitGuard;
import io.pepperpy.network.internal.limit.PermitGate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The limiter stage, applied with {@code transform} to each attempt (so a retry takes a permit too): subscribes
 * to the attempt once the client's {@link PermitGate} hands out a permit, waiting on a Reactor timer at most
 * {@code rate-limit-timeout} or what is left of the deadline, whichever is shorter. A caller refused a permit
 * fails with {@link NetworkException.Kind#RATE_LIMITED} and its request is never sent. When the gate is open (no
 * limit, no pause) the attempt goes through untouched, at no cost.
 * <p>
 * With a circuit breaker, the wait is {@link CircuitGuard#awaitPermit}'s: an open circuit fails the attempt before
 * it takes a permit, and one that opens while the attempt waits fails it at once and gives its slot back. The
 * {@link io.pepperpy.network.internal.GuardedAttempt} inside this stage admits the attempt once the permit is in
 * hand.
 *
 * @param <T> the attempt's result type
 */
final class RateLimitOperator<T> implements Function<Mono<T>, Mono<T>> {

	private final PermitGate gate;

	private final CallState<?> state;

	private final Duration rateLimitTimeout;

	private final @Nullable CircuitGuard circuit;

	RateLimitOperator(PermitGate gate, CallState<?> state, Duration rateLimitTimeout, @Nullable CircuitGuard circuit) {
		this.gate = gate;
		this.state = state;
		this.rateLimitTimeout = rateLimitTimeout;
		this.circuit = circuit;
	}

	@Override
	public Mono<T> apply(Mono<T> attempt) {
		if (this.gate.isOpen()) {
			return attempt;
		}
		Call call = this.state.call;
		return AttemptPolicy
			.permit(this.gate, this.state.remaining(this.rateLimitTimeout), this.circuit, call.method().name(),
					call.displayUrl())
			.then(attempt);
	}

}
