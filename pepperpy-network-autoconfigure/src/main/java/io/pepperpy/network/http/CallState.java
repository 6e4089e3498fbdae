package io.pepperpy.network.http;

import java.time.Duration;
import java.util.concurrent.CancellationException;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.AttemptOutcome;
import io.pepperpy.network.internal.Deadline;
import io.pepperpy.network.internal.circuit.CircuitGuard;
import org.jspecify.annotations.Nullable;
import reactor.core.observability.DefaultSignalListener;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * The state of one call across its attempts: which attempt runs, the backoff started by the first retry, the
 * last status seen, and the deadline. It is also the listener that records the call's outcome once in
 * {@code pepperpy.http.client.calls} (one {@code tap} operator for the whole call, instead of a peek per signal),
 * and how the circuit breaker counts its attempts ({@link AttemptOutcome}): an attempt is timed from when it
 * started sending (a wait for a permit is not the partner's slowness), and one that ended with a response (a retry
 * ordered after it, or {@code raise-for-status: false}) counts by its status.
 *
 * @param <R> the result type
 */
final class CallState<R> extends DefaultSignalListener<R> implements AttemptOutcome {

	private static final Throwable CANCELLED = new CancellationException("cancelled");

	final Call call;

	final ResponseHandler<R> handler;

	final long startNanos = System.nanoTime();

	/** When the deadline passes, on {@link System#nanoTime()}, or {@link Deadline#NONE} without one. */
	final long deadlineNanos;

	/** The {@code uri} tag, worked out once; empty when neither meters nor observations need it. */
	final String uriTag;

	private final ClientMetrics metrics;

	/** The number of the attempt running now, from 1. */
	int attempt;

	/** When the running attempt started sending, on {@link System#nanoTime()}, or 0 before it did. */
	long attemptStartNanos;

	/** The status of the last response, 0 before any. */
	int lastStatus;

	/**
	 * The delay the {@link FollowUpDecider} ordered before the next attempt when it decided to retry after a
	 * response, or {@code -1}: an attempt that ends so ends empty, and the {@link RetryLoop} takes the delay.
	 */
	long retryDelayMillis = -1;

	/**
	 * The running attempt's request as the interceptors left it (method, URL and headers), or {@code null} before
	 * the first attempt: the retry rules judge what was sent, not what the caller asked for.
	 */
	@Nullable InterceptedRequest sent;

	/** The access token the running attempt was sent with, or {@code null}: the one a 401 drops. */
	@Nullable String bearer;

	/** Whether a 401 already dropped a token and sent the call once more: a second 401 fails the call. */
	boolean reauthenticated;

	/** The retry policy's backoff, started by the first retry. */
	@Nullable BackOffExecution backOff;

	/**
	 * For a call that came through WebClient (an HTTP interface's exchange, see {@link ServiceExchangeFilter}):
	 * the request as it reached the filter, and the rest of the exchange to send each attempt with.
	 */
	@Nullable ClientRequest request;

	@Nullable ExchangeFunction exchange;

	private boolean recorded;

	CallState(Call call, ResponseHandler<R> handler, ClientMetrics metrics, boolean tagged) {
		this.call = call;
		this.handler = handler;
		this.metrics = metrics;
		this.deadlineNanos = Deadline.at(this.startNanos, call.deadline());
		this.uriTag = tagged ? metrics.uriTag(call.uriTemplate()) : "";
	}

	/**
	 * Return the delay of the retry the last attempt ordered, or {@code -1}, and forget it.
	 */
	long takeRetryDelay() {
		long delay = this.retryDelayMillis;
		this.retryDelayMillis = -1;
		return delay;
	}

	/**
	 * Return how long is left before the deadline, or {@code limit} when that is shorter (or there is none).
	 */
	Duration remaining(Duration limit) {
		return Deadline.remaining(this.deadlineNanos, limit, System.nanoTime());
	}

	NetworkException deadlineExceeded() {
		return Deadline.exceeded(this.call.method().name(), this.call.displayUrl(), this.call.deadline(),
				this.attempt);
	}

	// How the circuit breaker counts an attempt (GuardedAttempt).

	@Override
	public void admitted() {
		this.attemptStartNanos = 0;
	}

	@Override
	public long startNanos(long admittedNanos) {
		return this.attemptStartNanos;
	}

	@Override
	public void answered(CircuitGuard guard, long nanos) {
		guard.onResponse(nanos, this.lastStatus, this.call.method().name(), this.call.displayUrl());
	}

	// The call's outcome, recorded once: on the value (a downstream that cancels after it has still succeeded), or
	// on completion when there is none.

	@Override
	public void doOnNext(R value) {
		record(null);
	}

	@Override
	public void doOnComplete() {
		record(null);
	}

	@Override
	public void doOnError(Throwable error) {
		record(error);
	}

	@Override
	public void doOnCancel() {
		record(CANCELLED);
	}

	private void record(@Nullable Throwable error) {
		if (this.recorded) {
			return;
		}
		this.recorded = true;
		String status = (this.lastStatus > 0) ? ClientMetrics.status(this.lastStatus) : "CLIENT_ERROR";
		String outcome;
		String exception = "none";
		if (error == null) {
			outcome = ClientMetrics.outcome(this.lastStatus);
		}
		else if (error == CANCELLED) {
			outcome = "UNKNOWN";
			exception = "CancellationException";
		}
		else {
			outcome = (error instanceof NetworkException network && network.kind() == NetworkException.Kind.STATUS)
					? ClientMetrics.outcome(network.status()) : "UNKNOWN";
			exception = (error instanceof NetworkException network) ? network.kind().name()
					: error.getClass().getSimpleName();
			if (!(error instanceof NetworkException network && network.status() > 0)) {
				status = "CLIENT_ERROR";
			}
		}
		this.metrics.call(this.call.method().name(), this.uriTag, status, outcome, exception,
				System.nanoTime() - this.startNanos);
	}

}
