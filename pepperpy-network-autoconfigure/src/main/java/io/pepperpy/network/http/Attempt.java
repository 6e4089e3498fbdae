package io.pepperpy.network.http;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import io.pepperpy.network.NetworkException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClientRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * One attempt of a call: the interceptors' {@code preRequest} hooks (in order), the request sent through
 * WebClient, the interceptors' {@code postResponse} hooks (in reverse order), then what the
 * {@link FollowUpDecider} decides for the response: deliver it to the caller's {@link ResponseHandler}, follow a
 * redirect (within the same attempt, so the interceptors run once per attempt), retry, or fail. An attempt ends
 * in the caller's result, in nothing with the retry's delay left in the {@link CallState} (the
 * {@link RetryLoop} starts the next attempt after it), or in a failure. The whole attempt,
 * redirects and body included, is bounded by the per-attempt {@code timeout}, run on a wheel timer; whatever it
 * fails with becomes a {@link NetworkException}.
 */
final class Attempt {

	/**
	 * The request attribute WebClient's observation reads the URI template from.
	 */
	static final String URI_TEMPLATE_ATTRIBUTE = WebClient.class.getName() + ".uriTemplate";

	private final HttpConfig config;

	private final List<RequestInterceptor> interceptors;

	private final List<RequestInterceptor> reversedInterceptors;

	private final FollowUpDecider decider;

	private final ResponseDecoder decoder;

	private final PoolStats poolStats;

	private final ClientMetrics metrics;

	private final Redactor redactor;

	private final Logger logger;

	private final @Nullable AccessTokenSource accessTokens;

	private final Mono<Object> timeoutFallback;

	/** The failure of an attempt the client's shutdown cut, or {@code null} for any other. */
	private final BiFunction<Call, Throwable, @Nullable NetworkException> cutFailure;

	Attempt(HttpConfig config, FollowUpDecider decider, ResponseDecoder decoder, PoolStats poolStats,
			ClientMetrics metrics, Redactor redactor, Logger logger,
			BiFunction<Call, Throwable, @Nullable NetworkException> cutFailure) {
		this.cutFailure = cutFailure;
		this.config = config;
		this.interceptors = config.interceptors();
		List<RequestInterceptor> reversed = new ArrayList<>(config.interceptors());
		Collections.reverse(reversed);
		this.reversedInterceptors = List.copyOf(reversed);
		this.decider = decider;
		this.decoder = decoder;
		this.poolStats = poolStats;
		this.metrics = metrics;
		this.redactor = redactor;
		this.logger = logger;
		this.accessTokens = config.accessTokens();
		this.timeoutFallback = timeoutError(config.timeouts().attempt());
	}

	<R> Mono<R> run(CallState<R> state, int number) {
		Call call = state.call;
		int pendingMax = this.config.transport().pool().pendingAcquireMaxCount();
		if (this.poolStats.saturated(pendingMax)) {
			// Refused here rather than by the pool: the same outcome without building the WebClient request,
			// its observation and its error chain, so that refusing stays cheap when the client is overloaded.
			return Mono.error(NetworkException.of(NetworkException.Kind.POOL_EXHAUSTED,
					call.method().name() + " " + call.displayUrl() + " was not sent: no connection available ("
							+ pendingMax + " requests already wait for one, pool.pending-acquire-max-count); raise "
							+ "pool.max-connections or pool.pending-acquire-max-count, or send less",
					call.method().name(), call.displayUrl(), null));
		}
		long start = System.nanoTime();
		state.attemptStartNanos = start;
		InterceptedRequest request = new InterceptedRequest(call.method(), call.url(), call.uriTemplate(),
				(this.interceptors.isEmpty() && this.accessTokens == null) ? call.headers()
						: Origins.copy(call.headers()), number,
				call.redactor());
		state.sent = request;
		Mono<R> exchange;
		if (this.interceptors.isEmpty()) {
			exchange = (this.accessTokens != null) ? authorized(state, request, start, 0, call.body() != null)
					: send(state, request, start, 0, call.body() != null);
		}
		else {
			exchange = Flux.fromIterable(this.interceptors)
				.concatMap((interceptor) -> preRequest(interceptor, call, request))
				.then(Mono.defer(() -> {
					checkInterceptedRequest(call, request);
					return (this.accessTokens != null) ? authorized(state, request, start, 0, call.body() != null)
							: send(state, request, start, 0, call.body() != null);
				}));
		}
		return exchange.timeout(call.timeout(), timeoutFallback(call.timeout()), TimeoutScheduler.INSTANCE)
			.onErrorMap((ex) -> translate(call, ex))
			.doOnError((ex) -> {
				if (ex instanceof NetworkException network && network.kind() != NetworkException.Kind.STATUS) {
					this.metrics.attempt(call.method().name(), state.uriTag, "CLIENT_ERROR", "UNKNOWN");
				}
				if (this.logger.isDebugEnabled()) {
					this.logger.debug("{} {} attempt {} failed after {} ms: {}", call.method(), call.displayUrl(),
							number, (System.nanoTime() - start) / 1_000_000, ex.getMessage());
				}
			});
	}

	private Throwable translate(Call call, Throwable ex) {
		NetworkException cut = this.cutFailure.apply(call, ex);
		if (cut != null) {
			return cut;
		}
		return (ex instanceof NetworkException) ? ex
				: ErrorTranslator.translate(ex, call.method().name(), call.displayUrl(), call.timeout(),
						this.poolStats.saturated(this.config.transport().pool().pendingAcquireMaxCount()));
	}

	/**
	 * The fallback of the per-attempt timeout: a {@link TimeoutException} made only when the timeout fires.
	 * Without a fallback, {@code Mono.timeout} builds its description string on every subscription.
	 */
	@SuppressWarnings("unchecked")
	private <T> Mono<T> timeoutFallback(Duration timeout) {
		return (Mono<T>) (timeout.equals(this.config.timeouts().attempt()) ? this.timeoutFallback
				: timeoutError(timeout));
	}

	private static Mono<Object> timeoutError(Duration timeout) {
		return Mono.error(() -> new TimeoutException("no complete response within " + timeout));
	}

	/**
	 * Send the request with the client's access token as {@code Authorization: Bearer}, applied after the
	 * interceptors, and only when the request still goes to the origin the caller asked for: an interceptor that
	 * moved it to another origin gets no token, as a redirect to another origin keeps none. A token that cannot be
	 * obtained fails the attempt with {@link NetworkException.Kind#AUTHENTICATION}, nothing sent.
	 */
	private <R> Mono<R> authorized(CallState<R> state, InterceptedRequest request, long start, int hop,
			boolean sendBody) {
		Call call = state.call;
		AccessTokenSource tokens = this.accessTokens;
		if (tokens == null || !Origins.same(request.url(), call.url())) {
			state.bearer = null;
			return send(state, request, start, hop, sendBody);
		}
		return tokens.token().onErrorMap((ex) -> !(ex instanceof NetworkException), (ex) -> NetworkException.of(
				NetworkException.Kind.AUTHENTICATION, call.method().name() + " " + call.displayUrl()
						+ " was not sent: " + ex.getMessage(), call.method().name(), call.displayUrl(), null))
			.flatMap((token) -> {
				state.bearer = token;
				request.headers().setBearerAuth(token);
				return send(state, request, start, hop, sendBody);
			});
	}

	private <R> Mono<R> send(CallState<R> state, InterceptedRequest request, long start, int hop,
			boolean sendBody) {
		Call call = state.call;
		HttpHeaders headers = request.headers();
		if (this.logger.isTraceEnabled()) {
			this.logger.trace("{} {} attempt {} request headers {}", request.method(), this.redactor.url(request.url()),
					request.attempt(), this.redactor.headers(headers));
		}
		if (state.exchange != null && state.request != null) {
			return sendThroughFilter(state, state.request, state.exchange, request, start, hop, sendBody);
		}
		WebClient.RequestBodySpec spec = call.webClient()
			.method(request.method())
			.uri(request.url())
			.attribute(URI_TEMPLATE_ATTRIBUTE, call.uriTemplate());
		if (!headers.isEmpty()) {
			spec = spec.headers((target) -> target.putAll(headers));
		}
		WebClient.RequestHeadersSpec<?> ready = (sendBody && call.body() != null) ? spec.body(call.body()) : spec;
		return ready.exchangeToMono((response) -> receive(state, request, response, start, hop, sendBody));
	}

	/**
	 * Send an attempt of a call that came through WebClient as an exchange of its filter chain: the request as it
	 * came, with the interceptors' headers, the redirect's method and URL, and the per-attempt timeout also bounding
	 * each wait for data while the caller reads the body (Reactor Netty's response timeout). A response this
	 * attempt does not deliver is released here; a delivered one is the caller's to read.
	 */
	private <R> Mono<R> sendThroughFilter(CallState<R> state, ClientRequest original, ExchangeFunction next,
			InterceptedRequest request, long start, int hop, boolean sendBody) {
		Duration timeout = state.call.timeout();
		ClientRequest.Builder builder = ClientRequest.from(original)
			.method(request.method())
			.url(request.url())
			.headers((target) -> {
				target.clear();
				target.putAll(request.headers());
			})
			.httpRequest((httpRequest) -> {
				if (httpRequest.getNativeRequest() instanceof HttpClientRequest reactorRequest) {
					reactorRequest.responseTimeout(timeout);
				}
			});
		if (!sendBody) {
			builder.body(BodyInserters.empty());
		}
		return next.exchange(builder.build())
			.flatMap((response) -> receive(state, request, response, start, hop, sendBody)
				.onErrorResume((ex) -> response.releaseBody()
					.onErrorResume((release) -> Mono.empty())
					.then(Mono.error(ex))));
	}

	private <R> Mono<R> receive(CallState<R> state, InterceptedRequest request, ClientResponse response,
			long start, int hop, boolean sendBody) {
		Call call = state.call;
		HttpStatusCode status = response.statusCode();
		state.lastStatus = status.value();
		this.metrics.attempt(call.method().name(), state.uriTag, ClientMetrics.status(status.value()),
				ClientMetrics.outcome(status.value()));
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("{} {} -> {} in {} ms (attempt {})", request.method(), call.displayUrl(), status.value(),
					(System.nanoTime() - start) / 1_000_000, request.attempt());
			if (this.logger.isTraceEnabled()) {
				this.logger.trace("{} {} attempt {} response headers {}", request.method(), call.displayUrl(),
						request.attempt(), this.redactor.headers(response.headers().asHttpHeaders()));
			}
		}
		if (this.reversedInterceptors.isEmpty()) {
			return followUp(state, request, response, start, hop, sendBody);
		}
		InterceptedResponse intercepted = new InterceptedResponse(request, status,
				HttpHeaders.readOnlyHttpHeaders(response.headers().asHttpHeaders()));
		return Flux.fromIterable(this.reversedInterceptors)
			.concatMap((interceptor) -> invoke(interceptor, "postResponse", call,
					() -> interceptor.postResponse(intercepted)))
			.then(Mono.defer(() -> followUp(state, request, response, start, hop, sendBody)));
	}

	private <R> Mono<R> followUp(CallState<R> state, InterceptedRequest request, ClientResponse response,
			long start, int hop, boolean sendBody) {
		FollowUpDecider.FollowUp next = this.decider.onResponse(state, request, response, hop, sendBody);
		if (next == FollowUpDecider.Deliver.INSTANCE) {
			return state.handler.handle(state.call, response);
		}
		if (next instanceof FollowUpDecider.Redirect redirect) {
			return response.releaseBody()
				.then(Mono.defer(() -> send(state, redirect.next(), start, hop + 1, redirect.sendBody())));
		}
		if (next instanceof FollowUpDecider.Reauthenticate reauthenticate) {
			if (this.logger.isDebugEnabled()) {
				this.logger.debug("{} {} -> 401: dropping the access token and sending once more with a fresh one",
						request.method(), state.call.displayUrl());
			}
			AccessTokenSource tokens = this.accessTokens;
			return response.releaseBody()
				.then((tokens != null) ? tokens.invalidate(reauthenticate.refused()) : Mono.empty())
				.then(Mono.defer(() -> authorized(state, request, start, hop, sendBody)));
		}
		if (next instanceof FollowUpDecider.Retry retry) {
			state.retryDelayMillis = retry.delayMillis();
			return response.releaseBody().then(Mono.empty());
		}
		if (next instanceof FollowUpDecider.RaiseStatus raise) {
			return this.decoder.statusError(state.call, response, raise.refusal());
		}
		return response.releaseBody().then(Mono.error(((FollowUpDecider.Fail) next).error()));
	}

	/**
	 * Run one interceptor's {@code preRequest}, then apply the origin rule to what it did: when it moved the request
	 * to another origin (scheme, host or port), the credential headers it left as they were are dropped, as on a
	 * redirect to another origin; those it set or changed itself are kept. So the client's credentials (default
	 * headers, the caller's own, or an earlier interceptor's token, all meant for the URL before the move) never
	 * follow the request to a host they were not meant for, while an interceptor that routes a request to another
	 * host may still authenticate it there by setting the header in the same hook or a later one. Dropping rather
	 * than refusing keeps interceptors that route requests (failover, a regional host) working.
	 */
	private Mono<Void> preRequest(RequestInterceptor interceptor, Call call, InterceptedRequest request) {
		URI before = request.url();
		Map<String, List<String>> credentials = credentials(request.headers(), call.redactor());
		return invoke(interceptor, "preRequest", call, () -> interceptor.preRequest(request))
			.doOnSuccess((ignored) -> {
				URI after = request.url();
				if (after != before && !credentials.isEmpty() && after.getScheme() != null && after.getHost() != null
						&& !Origins.same(before, after)) {
					dropCarriedCredentials(interceptor, request, before, credentials, call.redactor());
				}
			});
	}

	private static Map<String, List<String>> credentials(HttpHeaders headers, Redactor redactor) {
		Map<String, List<String>> credentials = null;
		for (Map.Entry<String, List<String>> header : headers.headerSet()) {
			if (redactor.isSecretHeader(header.getKey())) {
				credentials = (credentials != null) ? credentials : new HashMap<>();
				credentials.put(header.getKey(), List.copyOf(header.getValue()));
			}
		}
		return (credentials != null) ? credentials : Map.of();
	}

	private void dropCarriedCredentials(RequestInterceptor interceptor, InterceptedRequest request, URI before,
			Map<String, List<String>> credentials, Redactor redactor) {
		HttpHeaders headers = request.headers();
		List<String> dropped = new ArrayList<>();
		credentials.forEach((name, values) -> {
			if (values.equals(headers.get(name))) {
				headers.remove(name);
				dropped.add(name);
			}
		});
		if (!dropped.isEmpty() && this.logger.isDebugEnabled()) {
			this.logger.debug("{} moved {} {} away from {}: dropped the credential headers {} meant for that origin",
					interceptor.getClass().getName(), request.method(), redactor.url(request.url()), Origins.of(before),
					dropped);
		}
	}

	/**
	 * Check the request again after interceptors could change it: a URL must still be absolute http(s), and
	 * headers must still be free of CR, LF and NUL.
	 */
	private void checkInterceptedRequest(Call call, InterceptedRequest request) {
		if (request.url() != call.url()) {
			Origins.checkAbsolute(request.url(), request.method(), this.redactor);
		}
		request.headers().forEach((name, values) -> values.forEach((value) -> {
			try {
				HeaderChecks.check(name, value, "request");
			}
			catch (IllegalArgumentException ex) {
				String displayUrl = this.redactor.url(request.url());
				throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
						"Refusing " + request.method() + " " + displayUrl + ": " + ex.getMessage(),
						request.method().name(), displayUrl, null);
			}
		}));
	}

	private Mono<Void> invoke(RequestInterceptor interceptor, String hook, Call call,
			Supplier<@Nullable Mono<Void>> invocation) {
		Mono<Void> result;
		try {
			result = invocation.get();
		}
		catch (RuntimeException ex) {
			return Mono.error(interceptorFailure(interceptor, hook, call, ex));
		}
		if (result == null) {
			return Mono.error(interceptorFailure(interceptor, hook, call,
					new IllegalStateException(hook + " returned null instead of a Mono")));
		}
		return result.onErrorMap((ex) -> interceptorFailure(interceptor, hook, call, ex));
	}

	private static NetworkException interceptorFailure(RequestInterceptor interceptor, String hook, Call call,
			Throwable ex) {
		if (ex instanceof NetworkException network && network.kind() == NetworkException.Kind.INTERCEPTOR) {
			return network;
		}
		return NetworkException.of(NetworkException.Kind.INTERCEPTOR,
				"Interceptor " + interceptor.getClass().getName() + "." + hook + " failed for " + call.method() + " "
						+ call.displayUrl() + ": " + ex.getMessage(),
				call.method().name(), call.displayUrl(), ex);
	}

}
