package io.pepperpy.network.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.util.Assert;

/**
 * The request an attempt is about to send, as a {@link RequestInterceptor} sees it. The method, URL and headers
 * may be changed; header names and values are checked for CR, LF and NUL after the interceptors ran, the
 * client's credentials do not follow a URL moved to another origin (see {@link #url(URI)}), and the retry rules
 * judge the method and headers sent.
 */
public final class InterceptedRequest {

	private HttpMethod method;

	private URI url;

	private final String uriTemplate;

	private final HttpHeaders headers;

	private @org.jspecify.annotations.Nullable Map<String, Object> attributes;

	private final int attempt;

	private final Redactor redactor;

	InterceptedRequest(HttpMethod method, URI url, String uriTemplate, HttpHeaders headers, int attempt,
			Redactor redactor) {
		this.redactor = redactor;
		this.method = method;
		this.url = url;
		this.uriTemplate = uriTemplate;
		this.headers = headers;
		this.attempt = attempt;
	}

	/**
	 * Return the HTTP method.
	 * @return the method
	 */
	public HttpMethod method() {
		return this.method;
	}

	/**
	 * Change the HTTP method.
	 * @param method the new method
	 */
	public void method(HttpMethod method) {
		Assert.notNull(method, "'method' must not be null");
		this.method = method;
	}

	/**
	 * Return the absolute URL the attempt goes to.
	 * @return the URL
	 */
	public URI url() {
		return this.url;
	}

	/**
	 * Change the URL the attempt goes to. When it is in another origin (scheme, host or port) than the URL before
	 * this hook, the credential headers ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie} and the
	 * {@code redact-headers}) this hook leaves unchanged are not sent, as on a redirect to another origin; set them
	 * in this hook or a later one to authenticate at the new origin.
	 * @param url the new absolute http(s) URL; another one fails the call with {@code INVALID_REQUEST}
	 */
	public void url(URI url) {
		Assert.notNull(url, "'url' must not be null");
		this.url = url;
	}

	/**
	 * Return the URI template the call was made with, e.g. {@code /users/{id}}.
	 * @return the template
	 */
	public String uriTemplate() {
		return this.uriTemplate;
	}

	/**
	 * Return the request headers, default headers included; changes are sent.
	 * @return the mutable headers
	 */
	public HttpHeaders headers() {
		return this.headers;
	}

	/**
	 * Return how the client that sends this request shows URLs and headers (its {@code redact-headers} and
	 * {@code redact-query-params}), for the shipped interceptors that log.
	 */
	Redactor redactor() {
		return this.redactor;
	}

	/**
	 * Return attributes shared by the interceptors of this attempt; they are not sent.
	 * @return the mutable attributes
	 */
	public Map<String, Object> attributes() {
		if (this.attributes == null) {
			this.attributes = new LinkedHashMap<>();
		}
		return this.attributes;
	}

	/**
	 * Return the attempt number, starting at 1 for the first attempt.
	 * @return the attempt number
	 */
	public int attempt() {
		return this.attempt;
	}

}
