package io.pepperpy.network;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * The one exception type an HTTP or TCP client call fails with (the PepperPy Network module's {@code NetworkError}).
 * <p>
 * {@link #kind()} says what went wrong. For {@link Kind#STATUS} errors the message is
 * {@code Request failed with status 404: Not Found} and {@link #status()}, {@link #responseHeaders()} and
 * {@link #bodySnippet()} describe the response; for every other kind the message names the method and URL that
 * failed and {@link #getCause()} holds the underlying error (connection refused, timeout, TLS failure, malformed
 * response, ...).
 */
public class NetworkException extends RuntimeException {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Longest body snippet, in characters, kept on a status error.
	 */
	public static final int MAX_SNIPPET_LENGTH = 1024;

	/**
	 * What kind of failure a {@link NetworkException} reports.
	 */
	public enum Kind {

		/**
		 * The server answered with a status that is not 2xx and raise-for-status is on.
		 */
		STATUS,

		/**
		 * The connection could not be established (refused, unreachable, connect timeout): the request never
		 * reached the server.
		 */
		CONNECT,

		/**
		 * The proxy refused the client's proxy credentials (407, or the 401 some proxies send). Nothing reached
		 * the server, and sending again with the same credentials cannot succeed, so it is never retried.
		 */
		PROXY_AUTHENTICATION,

		/**
		 * An attempt did not complete (connect to last body byte) within its timeout.
		 */
		TIMEOUT,

		/**
		 * The TLS handshake failed, for example an untrusted certificate.
		 */
		TLS,

		/**
		 * The connection broke or the server sent something that is not valid HTTP.
		 */
		PROTOCOL,

		/**
		 * The response body could not be decoded in the requested format.
		 */
		DECODING,

		/**
		 * The response body is larger than the client's {@code max-in-memory-size}.
		 */
		BODY_TOO_LARGE,

		/**
		 * The request was refused before anything was sent: a malformed URL, a URL outside the base URL's
		 * origin, a header with CR or LF, ...
		 */
		INVALID_REQUEST,

		/**
		 * No rate-limit permit could be obtained in time.
		 */
		RATE_LIMITED,

		/**
		 * No pooled connection was available: too many requests were already waiting, or the wait exceeded
		 * {@code pool.pending-acquire-timeout}. Nothing was sent.
		 */
		POOL_EXHAUSTED,

		/**
		 * The client's circuit breaker is open: its partner failed too often lately, so the attempt failed at once
		 * without being sent. Never retried, and it takes no rate-limit permit and no retry budget.
		 */
		CIRCUIT_OPEN,

		/**
		 * No access token could be obtained for the request (for example the OAuth2 token endpoint refused the
		 * client's credentials: {@code invalid_client}, {@code invalid_scope}). Nothing was sent to the server, and
		 * it is never retried: asking again with the same credentials would fail the same way.
		 */
		AUTHENTICATION,

		/**
		 * A {@code RequestInterceptor} threw or returned an error.
		 */
		INTERCEPTOR,

		/**
		 * Any other I/O failure.
		 */
		IO

	}

	private final Kind kind;

	private final @Nullable String method;

	private final @Nullable String url;

	private final int status;

	private final @Nullable String reason;

	private final HttpHeaders responseHeaders;

	private final @Nullable String bodySnippet;

	private NetworkException(String message, @Nullable Throwable cause, Kind kind, @Nullable String method,
			@Nullable String url, int status, @Nullable String reason, @Nullable HttpHeaders responseHeaders,
			@Nullable String bodySnippet) {
		// Rejections under overload are frequent and their stack (a Reactor scheduler's) says nothing: skip it so
		// that refusing work stays cheap when the client is saturated.
		super(message, cause, true,
				kind != Kind.RATE_LIMITED && kind != Kind.POOL_EXHAUSTED && kind != Kind.CIRCUIT_OPEN);
		this.kind = kind;
		this.method = method;
		this.url = url;
		this.status = status;
		this.reason = reason;
		this.responseHeaders = (responseHeaders != null) ? HttpHeaders.readOnlyHttpHeaders(responseHeaders)
				: HttpHeaders.readOnlyHttpHeaders(new HttpHeaders());
		this.bodySnippet = bodySnippet;
	}

	/**
	 * Create an exception for a failure that is not a status error.
	 * @param kind what went wrong
	 * @param message a message that names the problem
	 * @param method the HTTP method, if known
	 * @param url the URL, if known
	 * @param cause the underlying error, if any
	 * @return the exception
	 */
	public static NetworkException of(Kind kind, String message, @Nullable String method, @Nullable String url,
			@Nullable Throwable cause) {
		return new NetworkException(message, cause, kind, method, url, 0, null, null, null);
	}

	/**
	 * Create an exception for a response whose status is not 2xx.
	 * @param method the HTTP method
	 * @param url the URL
	 * @param status the status code
	 * @param reason the reason phrase
	 * @param headers the response headers
	 * @param body the start of the response body (cut to {@link #MAX_SNIPPET_LENGTH})
	 * @return the exception
	 */
	public static NetworkException status(String method, String url, int status, String reason, HttpHeaders headers,
			@Nullable String body) {
		String snippet = (body != null && body.length() > MAX_SNIPPET_LENGTH) ? body.substring(0, MAX_SNIPPET_LENGTH)
				: body;
		return new NetworkException("Request failed with status " + status + ": " + reason, null, Kind.STATUS, method,
				url, status, reason, headers, snippet);
	}

	/**
	 * Return a copy of this exception whose message ends with a detail, such as why it was not retried.
	 * @param detail the detail
	 * @return the copy
	 */
	public NetworkException withDetail(String detail) {
		NetworkException copy = new NetworkException(getMessage() + " (not retried: " + detail + ")", getCause(),
				this.kind, this.method, this.url, this.status, this.reason, this.responseHeaders, this.bodySnippet);
		copy.setStackTrace(getStackTrace());
		return copy;
	}

	/**
	 * Return what kind of failure this is.
	 * @return the kind
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * Return the HTTP method of the failed request, if known.
	 * @return the method or {@code null}
	 */
	public @Nullable String method() {
		return this.method;
	}

	/**
	 * Return the URL of the failed request (without user info), if known.
	 * @return the URL or {@code null}
	 */
	public @Nullable String url() {
		return this.url;
	}

	/**
	 * Return the response status, or {@code 0} when no response was received.
	 * @return the status code
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Return the reason phrase of the response status, if a response was received.
	 * @return the reason or {@code null}
	 */
	public @Nullable String reason() {
		return this.reason;
	}

	/**
	 * Return the response headers (empty when no response was received).
	 * @return read-only headers
	 */
	public HttpHeaders responseHeaders() {
		return this.responseHeaders;
	}

	/**
	 * Return the start of the response body of a status error, at most {@link #MAX_SNIPPET_LENGTH} characters.
	 * @return the snippet or {@code null}
	 */
	public @Nullable String bodySnippet() {
		return this.bodySnippet;
	}

}
