package io.pepperpy.network.http;

import java.net.URI;

import io.pepperpy.network.NetworkException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Origins (scheme, host and port) of URLs: default headers (credentials) are only sent to the base URL's origin,
 * and a redirect to another origin drops them.
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
