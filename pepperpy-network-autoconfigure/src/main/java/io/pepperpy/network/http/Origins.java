package io.pepperpy.network.http;

import java.net.URI;

import org.springframework.http.HttpHeaders;

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
