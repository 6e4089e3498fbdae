package io.pepperpy.network.internal;

import java.time.Duration;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.RetrySettings;
import io.pepperpy.network.internal.circuit.CircuitGuard;
import io.pepperpy.network.internal.limit.PermitGate;
import io.pepperpy.network.internal.limit.PermitUnavailableException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.retry.RetryPolicy;

/**
 * The rules that come before an attempt, shared by HTTP calls and TCP exchanges: which retry policy a call
 * follows, and how it waits for a rate-limit permit (under the circuit breaker) and is refused one. The rules that
 * decide whether a failed attempt is retried differ by protocol (HTTP's statuses and idempotent methods, TCP's
 * idempotent exchanges) and stay with each; what they share about the deadline is {@link Deadline}'s.
 */
public final class AttemptPolicy {

	private AttemptPolicy() {
	}

	/**
	 * Return the retry policy of a call: the client's, built once, when the call keeps the configured retries and
	 * delay; otherwise one derived from the client's settings with the call's.
	 * @param configuredPolicy the client's policy, built from {@code configured}, or {@code null} when it has none
	 * @param configured the client's retry settings
	 * @param retries the call's retries
	 * @param delay the call's delay before the first retry
	 * @return the policy
	 */
	public static RetryPolicy retryPolicy(@Nullable RetryPolicy configuredPolicy, RetrySettings configured,
			int retries, Duration delay) {
		if (configuredPolicy != null && retries == configured.maxRetries() && delay.equals(configured.delay())) {
			return configuredPolicy;
		}
		return configured.withMaxRetries(retries).withDelay(delay).toRetryPolicy();
	}

	/**
	 * Wait for an attempt's rate-limit permit; with a circuit breaker, under it ({@link CircuitGuard#awaitPermit}).
	 * A permit the gate cannot hand out within {@code maxWait} fails the attempt with {@link #rateLimited}.
	 * @param gate the client's gate, not open
	 * @param maxWait the longest wait: {@code rate-limit-timeout}, or what is left of the deadline when shorter
	 * @param circuit the client's circuit breaker, or {@code null}
	 * @param method the HTTP method or TCP operation
	 * @param target the URL (as it may be shown) or address
	 * @return the wait, which completes when the attempt may be sent
	 */
	public static Mono<Void> permit(PermitGate gate, Duration maxWait, @Nullable CircuitGuard circuit, String method,
			String target) {
		Mono<Void> permit = gate.acquire(maxWait)
			.onErrorMap(PermitUnavailableException.class, (ex) -> rateLimited(method, target, ex));
		return (circuit != null) ? circuit.awaitPermit(permit, method, target) : permit;
	}

	/**
	 * Return the failure of an attempt that was refused a rate-limit permit: its request was never sent.
	 * @param method the HTTP method or TCP operation
	 * @param target the URL (as it may be shown) or address
	 * @param refusal the gate's refusal
	 * @return a {@link NetworkException.Kind#RATE_LIMITED} failure
	 */
	public static NetworkException rateLimited(String method, String target,
			PermitUnavailableException refusal) {
		return NetworkException.of(NetworkException.Kind.RATE_LIMITED, method + " " + target + " was not sent: "
				+ refusal.getMessage() + " (rate-limit-timeout or deadline)", method, target, refusal);
	}

}
