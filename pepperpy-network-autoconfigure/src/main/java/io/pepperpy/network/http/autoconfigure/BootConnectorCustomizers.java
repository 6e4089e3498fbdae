package io.pepperpy.network.http.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.pepperpy.network.http.HttpClientCustomizer;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.core.ResolvableType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Applies the application's {@link ClientHttpConnectorBuilderCustomizer} beans to each client's connector, as Boot
 * applies them to its own: the client's Reactor Netty connector (its pool, timeouts, TLS and proxy) goes through
 * Boot's {@link ReactorClientHttpConnectorBuilder} with those customizers, and comes out with what they added (for
 * example {@code withHttpClientCustomizer(...)}). Customizers of another connector type (Jetty, JDK, Apache) are
 * left out. Boot's own settings are not applied here ({@link BootHttpClientSettings} says which are, and how), and
 * redirects stay off: the client follows them itself.
 */
final class BootConnectorCustomizers implements HttpClientCustomizer {

	private static final HttpClientSettings NO_SETTINGS = new HttpClientSettings(HttpRedirects.DONT_FOLLOW, null, null,
			null);

	private final List<ClientHttpConnectorBuilderCustomizer<?>> customizers;

	BootConnectorCustomizers(List<ClientHttpConnectorBuilderCustomizer<?>> customizers) {
		this.customizers = customizers;
	}

	/**
	 * Return the application's customizers as a client customizer, or {@code null} when it has none.
	 */
	static @Nullable HttpClientCustomizer of(ListableBeanFactory beanFactory) {
		List<ClientHttpConnectorBuilderCustomizer<?>> customizers = new ArrayList<>();
		beanFactory.getBeanProvider(ClientHttpConnectorBuilderCustomizer.class)
			.orderedStream()
			.forEach(customizers::add);
		return customizers.isEmpty() ? null : new BootConnectorCustomizers(customizers);
	}

	@Override
	public void customize(String clientName, WebClient.Builder builder) {
	}

	@Override
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public HttpClient customizeConnector(String clientName, HttpClient connector) {
		ClientHttpConnectorBuilder<?> builder = ClientHttpConnectorBuilder.reactor()
			.withHttpClientFactory(() -> connector);
		for (ClientHttpConnectorBuilderCustomizer<?> customizer : this.customizers) {
			Class<?> accepted = ResolvableType
				.forClass(ClientHttpConnectorBuilderCustomizer.class, customizer.getClass())
				.getGeneric(0)
				.resolve(ClientHttpConnectorBuilder.class);
			if (!accepted.isInstance(builder)) {
				continue;
			}
			try {
				builder = ((ClientHttpConnectorBuilderCustomizer) customizer).customize(builder);
			}
			catch (ClassCastException ex) {
				// A lambda whose type argument could not be read, for another connector type.
			}
		}
		if (!(builder instanceof ReactorClientHttpConnectorBuilder reactor)) {
			return connector;
		}
		AtomicReference<HttpClient> customized = new AtomicReference<>(connector);
		reactor.withHttpClientCustomizer((client) -> {
			customized.set(client);
			return client;
		}).build(NO_SETTINGS);
		return customized.get();
	}

}
