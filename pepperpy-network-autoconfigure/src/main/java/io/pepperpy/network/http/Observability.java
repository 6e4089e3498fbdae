package io.pepperpy.network.http;

import java.util.Set;

/**
 * What an HTTP client records about its calls, and which values it never shows.
 *
 * @param metrics whether the client records its own {@code pepperpy.http.client.*} meters
 * ({@code metrics-enabled})
 * @param metricsPerAttempt whether the per-attempt meter {@code pepperpy.http.client.attempts} is recorded
 * ({@code metrics-per-attempt})
 * @param observation whether each attempt is observed as Spring's {@code http.client.requests} and each call as
 * {@code pepperpy.http.client.call} ({@code observation-enabled})
 * @param redactHeaders headers whose values are never logged or shown, besides {@code Authorization},
 * {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie} ({@code redact-headers})
 * @param redactQueryParams query parameters whose values are never logged or shown ({@code redact-query-params})
 */
public record Observability(boolean metrics, boolean metricsPerAttempt, boolean observation,
		Set<String> redactHeaders, Set<String> redactQueryParams) {

	/**
	 * The defaults: meters, per-attempt meters and observations on; nothing redacted beyond the built-in headers.
	 */
	public static final Observability DEFAULTS = new Observability(true, true, true, Set.of(), Set.of());

	/**
	 * Make the sets immutable.
	 */
	public Observability {
		redactHeaders = Set.copyOf((redactHeaders != null) ? redactHeaders : Set.of());
		redactQueryParams = Set.copyOf((redactQueryParams != null) ? redactQueryParams : Set.of());
	}

}
