package io.pepperpy.network.http;

import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;

/**
 * How a client's attempts are observed as Spring's {@code http.client.requests}: under Boot's configured name, and
 * with the application's own convention when it has one (a {@code ClientRequestObservationConvention} bean) instead
 * of the client's (which tags {@code client.name} with the client's name and redacts the URL).
 *
 * @param name the observation's name
 * @param convention the application's convention, or {@code null} for the client's
 */
record ObservationSettings(String name, @Nullable ClientRequestObservationConvention convention) {

	static final ObservationSettings DEFAULTS = new ObservationSettings("http.client.requests", null);

}
