package io.pepperpy.network.http;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

import io.pepperpy.network.NetworkException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Origins (scheme, host and port) of URLs: default headers (credentials) are only sent to the base URL's origin,
 * and a request that leaves its origin, by a redirect or by an interceptor changing its URL, drops them. The
 * credential headers are the ones the client redacts: {@code Authorization}, {@code Proxy-Authorization},
 * {@code Cookie} and the {@code redact-headers}, so that what is never shown is never carried to a stranger either.
 */
final class Origins {

	private Origins() {
	}

	static boolean same(URI base, URI url) {
		return url.getScheme() != null && url.getHost() != null && base.getScheme().equalsIgnoreCase(url.getScheme())
				&& base.getHost().equalsIgnoreCase(url.getHost()) && port(base) == port(url);
	}

	/**
	 * Refuse a URL a client must not send to: one outside its base URL's origin (its default headers carry
	 * credentials), or, without a base URL, one that is not absolute http(s).
	 * @throws NetworkException of kind {@code INVALID_REQUEST} naming the URL and the fix
	 */
	static void check(@Nullable URI base, URI url, HttpMethod method, Redactor redactor) {
		if (base != null && !same(base, url)) {
			String displayUrl = redactor.url(url);
			throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
					"Refusing " + method + " " + displayUrl + ": it is outside the origin of the base URL " + of(base)
							+ ", and default headers (credentials) are only sent there; "
							+ "use a client without base-url (or a separate client) for other hosts",
					method.name(), displayUrl, null);
		}
		String scheme = url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
				|| url.getHost() == null) {
			String displayUrl = redactor.url(url);
			throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST, "Refusing " + method + " " + displayUrl
					+ ": the URL must be absolute http(s) (no base-url is configured)", method.name(), displayUrl,
					null);
		}
	}

	/**
	 * Refuse a URL an interceptor set that cannot be sent at all: one that is not absolute http(s).
	 * @throws NetworkException of kind {@code INVALID_REQUEST} naming the URL
	 */
	static void checkAbsolute(URI url, HttpMethod method, Redactor redactor) {
		String scheme = url.getScheme();
		if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
				|| url.getHost() == null) {
			String displayUrl = redactor.url(url);
			throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST, "Refusing " + method + " " + displayUrl
					+ ": an interceptor set a URL that is not absolute http(s)", method.name(), displayUrl, null);
		}
	}

	/**
	 * Remove the credential headers (those the redactor masks) from headers about to leave their origin.
	 * @return the names removed, empty when there were none
	 */
	static Set<String> dropCredentials(HttpHeaders headers, Redactor redactor) {
		Set<String> dropped = null;
		for (String name : headers.headerNames()) {
			if (redactor.isSecretHeader(name)) {
				dropped = (dropped != null) ? dropped : new LinkedHashSet<>();
				dropped.add(name);
			}
		}
		if (dropped == null) {
			return Set.of();
		}
		dropped.forEach(headers::remove);
		return dropped;
	}

	static String of(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	static HttpHeaders copy(HttpHeaders headers) {
		HttpHeaders copy = new HttpHeaders();
		copy.putAll(headers);
		return copy;
	}

}
