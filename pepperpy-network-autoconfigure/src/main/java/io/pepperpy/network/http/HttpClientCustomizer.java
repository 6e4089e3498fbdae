package io.pepperpy.network.http;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Escape hatch for power users, like Boot's {@code WebClientCustomizer} but for pepperpy clients: change the
 * {@link WebClient.Builder} a client is built from (add a raw {@code ExchangeFilterFunction}, change codecs) or
 * the Reactor Netty connector (wiretap, socket options).
 * <p>
 * In a Spring Boot application every bean of this type is applied, in {@code @Order}. Customizers run after the
 * client's own settings, so what they set wins; filters they add run once per attempt, inside the retry loop.
 */
@FunctionalInterface
public interface HttpClientCustomizer {

	/**
	 * Customize the builder of a client's {@link WebClient}.
	 * @param clientName the client's name
	 * @param builder the client's own builder (a clone, never shared)
	 */
	void customize(String clientName, WebClient.Builder builder);

	/**
	 * Customize a client's Reactor Netty connector.
	 * @param clientName the client's name
	 * @param connector the connector, with the client's pool, timeouts and TLS settings
	 * @return the connector to use
	 */
	default reactor.netty.http.client.HttpClient customizeConnector(String clientName,
			reactor.netty.http.client.HttpClient connector) {
		return connector;
	}

}
