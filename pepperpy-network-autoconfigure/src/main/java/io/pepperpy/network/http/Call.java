package io.pepperpy.network.http;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * What one call needs, worked out once by {@link DefaultRequestSpec} before the first attempt and read by every
 * stage after it.
 *
 * @param method the HTTP method
 * @param url the expanded URL
 * @param redactor how the URL and headers may be shown
 * @param uriTemplate the URI template, for the {@code uri} tag
 * @param headers the client's default headers merged with the request's
 * @param body the body, or {@code null}
 * @param oneShotBody whether the body is a stream that cannot be sent twice
 * @param webClient the WebClient to send with (the client's, or one for a per-request proxy)
 * @param timeout the per-attempt timeout
 * @param deadline the deadline of the whole call, or {@code null}
 * @param retries the retries allowed
 * @param retriesExplicit whether the request set its retries (which allows retrying a non-idempotent method)
 * @param retryDelay the delay before the first retry
 * @param raiseForStatus whether a non-2xx status fails the call
 * @param retryNonIdempotent whether the client retries non-idempotent methods
 */
record Call(HttpMethod method, URI url, Redactor redactor, String uriTemplate, HttpHeaders headers,
		@Nullable BodyInserter<?, ? super ClientHttpRequest> body, boolean oneShotBody, WebClient webClient,
		Duration timeout, @Nullable Duration deadline, int retries, boolean retriesExplicit, Duration retryDelay,
		boolean raiseForStatus, boolean retryNonIdempotent) {

	private static final Set<HttpMethod> IDEMPOTENT_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD,
			HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

	/**
	 * The URL as it may be shown: computed only when a message or log line needs it.
	 */
	String displayUrl() {
		return this.redactor.url(this.url);
	}

	/**
	 * Whether the call may be sent again once a request may have reached the server: an idempotent method,
	 * retries set on the request, an {@code Idempotency-Key} header, or {@code retry-non-idempotent}. The method
	 * and headers are those the attempt was sent with, after the interceptors, which may have changed them.
	 * @param method the method sent
	 * @param headers the headers sent
	 */
	boolean mayRetryAfterSending(HttpMethod method, HttpHeaders headers) {
		return IDEMPOTENT_METHODS.contains(method) || this.retriesExplicit || this.retryNonIdempotent
				|| headers.containsHeader("Idempotency-Key");
	}

}
