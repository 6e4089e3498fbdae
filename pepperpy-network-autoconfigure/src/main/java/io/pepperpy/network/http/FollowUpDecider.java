package io.pepperpy.network.http;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.AttemptPolicy;
import io.pepperpy.network.internal.Deadline;
import io.pepperpy.network.internal.limit.PermitGate;
import io.pepperpy.network.limit.RateLimitSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * The one place that decides what follows an attempt, as OkHttp's {@code RetryAndFollowUpInterceptor} does:
 * {@link #onResponse} for a response (deliver it, follow its redirect, retry, or fail with its status) and
 * {@link #onFailure} for a transport failure (retry or fail). Both go through {@link #decide}, which applies the
 * retry rules in order: the failure's kind and status, method idempotency, a replayable body, the custom
 * predicate, the retry count and backoff (Spring's {@link RetryPolicy}), {@code Retry-After}, the deadline, and
 * the retry budget. A 429's {@code Retry-After} also pauses the client's rate limiter here, and every response's
 * quota headers ({@link QuotaHeaders}, with {@code rate-limit.server-quota: follow}) pace it.
 */
final class FollowUpDecider {

	private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

	/**
	 * What follows an attempt's response.
	 */
	sealed interface FollowUp permits Deliver, Redirect, Retry, RaiseStatus, Reauthenticate, Fail {

	}

	/** Hand the response to the caller's {@link ResponseHandler}. */
	enum Deliver implements FollowUp {

		INSTANCE

	}

	/** Send {@code next} in the same attempt; {@code sendBody} says whether it carries the body. */
	record Redirect(InterceptedRequest next, boolean sendBody) implements FollowUp {
	}

	/** Release the response and start the next attempt after {@code delayMillis}. */
	record Retry(long delayMillis) implements FollowUp {
	}

	/** Fail with the response's status, its body snippet read; {@code refusal} says why it was not retried. */
	record RaiseStatus(@Nullable String refusal) implements FollowUp {
	}

	/**
	 * Release the response, drop the access token {@code refused} and send the attempt once more with a fresh one.
	 */
	record Reauthenticate(String refused) implements FollowUp {
	}

	/** Release the response and fail with {@code error}. */
	record Fail(NetworkException error) implements FollowUp {
	}

	private final HttpConfig config;

	private final PermitGate gate;

	private final RetryBudget budget;

	private final ClientMetrics metrics;

	private final Logger logger;

	private final RetryPolicy defaultRetryPolicy;

	private final Clock wallClock = Clock.systemUTC();

	/** Whether responses' quota headers pace the gate ({@code rate-limit.server-quota: follow}). */
	private final boolean followQuota;

	/** Whether the INFO line saying that the partner's quota paces the client was logged. */
	private volatile boolean pacingLogged;

	FollowUpDecider(HttpConfig config, PermitGate gate, RetryBudget budget, ClientMetrics metrics, Logger logger) {
		this.config = config;
		this.gate = gate;
		this.budget = budget;
		this.metrics = metrics;
		this.logger = logger;
		this.defaultRetryPolicy = config.retry().settings().toRetryPolicy();
		this.followQuota = config.rateLimit().serverQuota() == RateLimitSettings.ServerQuota.FOLLOW;
	}

	/**
	 * Decide what follows a response: a 2xx is delivered; a redirect with a {@code Location} is followed when
	 * {@code follow-redirects} is on; a status the rules retry is retried; any other status fails the call when
	 * it raises for status, and is delivered when it does not.
	 */
	FollowUp onResponse(CallState<?> state, InterceptedRequest request, ClientResponse response, int hop,
			boolean sendBody) {
		if (this.followQuota) {
			readQuota(response.headers().asHttpHeaders());
		}
		HttpStatusCode status = response.statusCode();
		if (status.is2xxSuccessful()) {
			return Deliver.INSTANCE;
		}
		if (status.value() == 401 && state.bearer != null && !state.reauthenticated
				&& ("Bearer " + state.bearer).equals(request.headers().getFirst(HttpHeaders.AUTHORIZATION))) {
			// A 401 means the request was not processed: once more with a fresh token, whatever the method.
			state.reauthenticated = true;
			if (sendBody && state.call.oneShotBody()) {
				return state.call.raiseForStatus() ? new RaiseStatus("the access token was refused, and the one-shot "
						+ "request body cannot be sent again with a fresh one") : Deliver.INSTANCE;
			}
			return new Reauthenticate(state.bearer);
		}
		HttpHeaders headers = response.headers().asHttpHeaders();
		if (this.config.redirects().follow() && REDIRECT_STATUSES.contains(status.value())
				&& headers.getLocation() != null) {
			return redirect(state.call, request, status.value(), headers.getFirst(HttpHeaders.LOCATION), hop,
					sendBody);
		}
		Call call = state.call;
		String refusal = null;
		if (this.config.retry().onStatus().contains(status.value()) || this.config.retry().predicate() != null) {
			NetworkException probe = NetworkException.status(call.method().name(), call.displayUrl(), status.value(),
					reason(status), headers, null);
			Decision decision = decide(state, probe);
			if (decision.retry()) {
				return new Retry(decision.delayMillis());
			}
			refusal = decision.refusal();
		}
		return call.raiseForStatus() ? new RaiseStatus(refusal) : Deliver.INSTANCE;
	}

	/**
	 * Decide what follows an attempt that failed without a response to decide on: a {@link NetworkException} of a
	 * kind the rules retry is retried; anything else, and a status error (decided when its response was handled),
	 * fails the call.
	 * @return a {@link Retry} or a {@link Fail}
	 */
	FollowUp onFailure(CallState<?> state, NetworkException failure) {
		if (failure.kind() == NetworkException.Kind.STATUS || failure.kind() == NetworkException.Kind.AUTHENTICATION) {
			// A token endpoint that refused the client's credentials refuses them again: never retried.
			return new Fail(failure);
		}
		Decision decision = decide(state, failure);
		if (decision.retry()) {
			return new Retry(decision.delayMillis());
		}
		return new Fail((decision.refusal() != null) ? failure.withDetail(decision.refusal()) : failure);
	}

	/**
	 * The outcome of asking the retry rules about a failed attempt.
	 *
	 * @param delayMillis the delay before the next attempt, or {@code -1} for no retry
	 * @param refusal why a retryable failure is not retried, for the message, or {@code null}
	 */
	record Decision(long delayMillis, @Nullable String refusal) {

		static final Decision NO = new Decision(-1, null);

		boolean retry() {
			return this.delayMillis >= 0;
		}

	}

	/**
	 * Apply the retry rules to a failed attempt: method idempotency (of the method the attempt was sent with,
	 * which an interceptor may have changed), replayable body, custom predicate, retry
	 * count and backoff, Retry-After, deadline and retry budget, in that order.
	 */
	Decision decide(CallState<?> state, NetworkException failure) {
		Call call = state.call;
		HttpConfig config = this.config;
		String method = call.method().name();
		InterceptedRequest sent = state.sent;
		HttpMethod sentMethod = (sent != null) ? sent.method() : call.method();
		String reason;
		boolean reachedServer = true;
		switch (failure.kind()) {
			case CONNECT -> {
				reason = "connect";
				reachedServer = false;
			}
			case STATUS -> reason = config.retry().onStatus().contains(failure.status()) ? "status" : null;
			case TIMEOUT -> reason = "timeout";
			case PROTOCOL, IO -> reason = "connection";
			default -> reason = null;
		}
		String refusal = null;
		String refusalTag = null;
		if (reason != null && reachedServer
				&& !call.mayRetryAfterSending(sentMethod, (sent != null) ? sent.headers() : call.headers())) {
			refusal = sentMethod + " is not idempotent: retried only with retries(n) on the request, an "
					+ "Idempotency-Key header or retry-non-idempotent";
			refusalTag = "non_idempotent";
		}
		if (reason != null && reachedServer && refusal == null && call.oneShotBody()) {
			refusal = "the request body is a one-shot stream that cannot be sent again";
			refusalTag = "body_not_replayable";
		}
		Duration retryAfter = retryAfter(failure);
		if (retryAfter != null && failure.status() == 429 && retryAfter.compareTo(config.retry().afterMax()) <= 0) {
			// The server told every caller of this client to wait.
			this.gate.pause(retryAfter);
		}
		boolean retry = reason != null && refusal == null;
		RetryPredicate predicate = config.retry().predicate();
		if (predicate != null && !call.oneShotBody()) {
			boolean custom = predicate.shouldRetry(sentMethod, (sent != null) ? sent.url() : call.url(), failure,
					retry);
			if (custom && !retry) {
				reason = "predicate";
				refusal = null;
			}
			retry = custom;
			if (!custom) {
				refusalTag = null;
				refusal = null;
			}
		}
		if (!retry) {
			if (refusalTag != null && state.attempt <= call.retries()) {
				this.metrics.retryRefused(method, refusalTag);
				return new Decision(-1, refusal);
			}
			return Decision.NO;
		}
		if (state.attempt > call.retries()) {
			return Decision.NO;
		}
		if (state.backOff == null) {
			state.backOff = AttemptPolicy
				.retryPolicy(this.defaultRetryPolicy, config.retry().settings(), call.retries(), call.retryDelay())
				.getBackOff()
				.start();
		}
		long delay = state.backOff.nextBackOff();
		if (delay == BackOffExecution.STOP) {
			return Decision.NO;
		}
		if (retryAfter != null) {
			if (retryAfter.compareTo(config.retry().afterMax()) > 0) {
				this.metrics.retryRefused(method, "retry_after_cap");
				return new Decision(-1, "the server asked to retry after " + retryAfter.toSeconds()
						+ " s (Retry-After), more than retry-after-max " + config.retry().afterMax().toSeconds()
						+ " s");
			}
			delay = retryAfter.toMillis();
		}
		String late = Deadline.refuseNextAttempt(state.deadlineNanos, call.deadline(), delay, System.nanoTime());
		if (late != null) {
			this.metrics.retryRefused(method, "deadline");
			return new Decision(-1, late);
		}
		if (!this.budget.tryRetry()) {
			this.metrics.retryRefused(method, "budget");
			return new Decision(-1, "the client's retry budget (retry-budget-percent " + config.retry().budgetPercent()
					+ " %) is spent: the server is failing too often to retry");
		}
		this.metrics.retry(method, reason);
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("{} {} attempt {} failed ({}), retrying in {} ms", call.method(), call.displayUrl(),
					state.attempt, failure.getMessage(), delay);
		}
		return new Decision(delay, null);
	}

	/**
	 * Pace the gate by the quota a response advertises, whatever its status: a few header lookups, and nothing
	 * more, when it advertises none.
	 */
	void readQuota(HttpHeaders headers) {
		QuotaHeaders.Quota quota = QuotaHeaders.read(headers);
		if (quota == null) {
			return;
		}
		if (quota.malformed()) {
			this.metrics.quotaMalformed(quota.family().headers);
			return;
		}
		this.metrics.quota(quota.limit(), quota.remaining());
		if (!this.pacingLogged) {
			this.pacingLogged = true;
			this.logger.info("HTTP client '{}' paces its calls by the partner's quota ({} headers: {} left, reset "
					+ "in {} s){}", this.config.name(), quota.family().headers, quota.remaining(),
					quota.resetSeconds(), (this.config.rateLimit().maxPerSecond() > 0)
							? ", never faster than max-rate-limit " + this.config.rateLimit().maxPerSecond() + "/s"
							: "");
		}
		this.gate.quota(quota.remaining(), quota.resetSeconds() * 1_000_000_000L);
	}

	private @Nullable Duration retryAfter(NetworkException failure) {
		if (failure.kind() != NetworkException.Kind.STATUS || (failure.status() != 429 && failure.status() != 503)) {
			return null;
		}
		return RetryAfter.parse(failure.responseHeaders().getFirst(HttpHeaders.RETRY_AFTER), this.wallClock);
	}

	/**
	 * Work out the request a redirect leads to, within the same attempt: at most {@code max-redirects} hops,
	 * credentials stripped when the target is another origin (scheme, host or port), 303 (and 301/302 after a
	 * POST) become a GET without body, and a one-shot body is never sent again.
	 */
	private FollowUp redirect(Call call, InterceptedRequest request, int status, @Nullable String location, int hop,
			boolean sendBody) {
		Redactor redactor = call.redactor();
		String from = redactor.url(request.url());
		URI target;
		try {
			target = request.url().resolve(location);
		}
		catch (IllegalArgumentException ex) {
			return new Fail(NetworkException.of(NetworkException.Kind.PROTOCOL,
					call.method() + " " + from + " redirected to an invalid Location", call.method().name(), from, ex));
		}
		if (target.getScheme() == null || target.getHost() == null
				|| !(target.getScheme().equalsIgnoreCase("http") || target.getScheme().equalsIgnoreCase("https"))) {
			return new Fail(NetworkException.of(NetworkException.Kind.PROTOCOL,
					call.method() + " " + from + " redirected to a URL that is not http(s): refused",
					call.method().name(), from, null));
		}
		if (hop >= this.config.redirects().max()) {
			return new Fail(NetworkException.of(NetworkException.Kind.PROTOCOL,
					call.method() + " " + call.displayUrl() + " stopped after max-redirects ("
							+ this.config.redirects().max() + ") redirects, last to " + redactor.url(target),
					call.method().name(), call.displayUrl(), null));
		}
		HttpMethod method = request.method();
		boolean keepBody = sendBody;
		if ((status == 303 && method != HttpMethod.HEAD)
				|| ((status == 301 || status == 302) && method == HttpMethod.POST)) {
			method = HttpMethod.GET;
			keepBody = false;
		}
		if (keepBody && call.oneShotBody()) {
			return new Fail(NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
					call.method() + " " + from + " redirected with " + status
							+ ", but its one-shot body cannot be sent again",
					call.method().name(), from, null));
		}
		HttpHeaders headers = Origins.copy(request.headers());
		if (!keepBody) {
			headers.remove(HttpHeaders.CONTENT_TYPE);
			headers.remove(HttpHeaders.CONTENT_LENGTH);
		}
		if (!Origins.same(request.url(), target)) {
			Origins.dropCredentials(headers, redactor);
		}
		InterceptedRequest next = new InterceptedRequest(method, target, call.uriTemplate(), headers,
				request.attempt(), redactor);
		next.attributes().putAll(request.attributes());
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("{} {} redirected ({}) to {} {}", request.method(), from, status, method,
					redactor.url(target));
		}
		return new Redirect(next, keepBody);
	}

	static String reason(HttpStatusCode status) {
		HttpStatus known = HttpStatus.resolve(status.value());
		return (known != null) ? known.getReasonPhrase() : "Unknown Status";
	}

}
