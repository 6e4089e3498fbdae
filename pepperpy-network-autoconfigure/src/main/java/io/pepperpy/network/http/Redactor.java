package io.pepperpy.network.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.http.HttpHeaders;

/**
 * Renders URLs and headers with their secrets replaced by {@code ***}: user info, the credential headers and
 * the configured header and query-parameter names. Every place that shows a request (log lines, exception
 * messages, the actuator endpoint) goes through it.
 */
final class Redactor {

	static final String MASK = "***";

	private static final Set<String> ALWAYS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

	private final Set<String> headers;

	private final Set<String> queryParams;

	Redactor(Set<String> headers, Set<String> queryParams) {
		this.headers = Stream.concat(ALWAYS.stream(), headers.stream().map((name) -> name.toLowerCase(Locale.ROOT)))
			.collect(Collectors.toUnmodifiableSet());
		this.queryParams = Set.copyOf(queryParams);
	}

	/**
	 * Return a redactor that masks what this one masks and the given names too.
	 */
	Redactor with(Set<String> moreHeaders, Set<String> moreQueryParams) {
		if (moreHeaders.isEmpty() && moreQueryParams.isEmpty()) {
			return this;
		}
		return new Redactor(Stream.concat(this.headers.stream(), moreHeaders.stream()).collect(Collectors.toSet()),
				Stream.concat(this.queryParams.stream(), moreQueryParams.stream()).collect(Collectors.toSet()));
	}

	boolean isSecretHeader(String name) {
		return this.headers.contains(name.toLowerCase(Locale.ROOT));
	}

	String url(URI url) {
		if (url.getRawUserInfo() == null && url.getRawFragment() == null && url.getScheme() != null
				&& url.getHost() != null && (url.getRawQuery() == null || this.queryParams.isEmpty())) {
			// Nothing to mask or drop: the URI's own string, which it keeps, is what would be built below.
			return url.toString();
		}
		StringBuilder text = new StringBuilder();
		if (url.getScheme() != null) {
			text.append(url.getScheme()).append(':');
		}
		if (url.getRawAuthority() != null) {
			text.append("//");
			if (url.getRawUserInfo() != null) {
				text.append(MASK).append('@');
			}
			text.append((url.getHost() != null) ? url.getHost() : "");
			if (url.getPort() != -1) {
				text.append(':').append(url.getPort());
			}
		}
		text.append((url.getRawPath() != null) ? url.getRawPath() : "");
		String query = url.getRawQuery();
		if (query != null) {
			text.append('?').append(query(query));
		}
		return text.toString();
	}

	private String query(String query) {
		if (this.queryParams.isEmpty()) {
			return query;
		}
		StringBuilder text = new StringBuilder();
		for (String pair : query.split("&", -1)) {
			if (text.length() > 0) {
				text.append('&');
			}
			int equals = pair.indexOf('=');
			String name = (equals >= 0) ? pair.substring(0, equals) : pair;
			if (equals >= 0 && this.queryParams.contains(java.net.URLDecoder.decode(name,
					java.nio.charset.StandardCharsets.UTF_8))) {
				text.append(name).append('=').append(MASK);
			}
			else {
				text.append(pair);
			}
		}
		return text.toString();
	}

	String template(String uriTemplate) {
		int query = uriTemplate.indexOf('?');
		return (query >= 0) ? uriTemplate.substring(0, query) + "?" + MASK : uriTemplate;
	}

	String headers(HttpHeaders headers) {
		StringBuilder text = new StringBuilder("[");
		headers.forEach((name, values) -> {
			if (text.length() > 1) {
				text.append(", ");
			}
			text.append(name).append(": ");
			text.append(isSecretHeader(name) ? MASK : String.join(",", values));
		});
		return text.append(']').toString();
	}

}
