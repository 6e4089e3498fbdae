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
import org.springframework.boot.util.LambdaSafe;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Applies the application's {@link ClientHttpConnectorBuilderCustomizer} beans to each client's connector, as Boot
 * applies them to its own ({@link LambdaSafe}, so that customizers of another connector type, Jetty, JDK or
 * Apache, are left out): the client's Reactor Netty connector goes through Boot's
 * {@link ReactorClientHttpConnectorBuilder} with those customizers, and comes out with what they added through
 * {@code withHttpClientCustomizer(...)} (headers, wiretap, socket options, event loops).
 * <p>
 * The connector itself is never replaced: a customizer's {@code withHttpClientFactory(...)} or
 * {@code withReactorResourceFactory(...)} would make a new Reactor Netty client on another connection provider,
 * dropping the client's pool, TLS settings, HTTP/2, connect timeout and the connection tracking of its shutdown
 * cut, so the client's connector is put back as the factory after the customizers ran.
 * <p>
 * Boot's own {@value #BOOT_RESOURCES_CUSTOMIZER} (registered with {@code spring-boot-reactor-netty}, so in every
 * WebFlux application) is not applied at all: besides the factory, it would move the client onto the
 * {@code ReactorResourceFactory}'s event loops. That is deliberately not done. With Boot's defaults the factory
 * uses Reactor Netty's global resources, whose loops are the ones the client's connector already runs on, so there
 * is nothing to gain; and with a factory of the application's own the client would only trade its loops for the
 * web server's, with no measurement showing that this helps. An application that wants it says so with a
 * customizer of its own ({@code builder.withReactorResourceFactory(factory)} lends that factory's loops, never its
 * pool). Boot's own settings are not applied here ({@link BootHttpClientSettings} says which are, and how), and
 * redirects stay off: the client follows them itself.
 */
final class BootConnectorCustomizers implements HttpClientCustomizer {

	/**
	 * Name of the bean of Boot's customizer that puts a connector on the {@code ReactorResourceFactory}'s
	 * connection provider and event loops.
	 */
	static final String BOOT_RESOURCES_CUSTOMIZER = "reactorResourceFactoryClientHttpConnectorBuilderCustomizer";

	private static final HttpClientSettings NO_SETTINGS = new HttpClientSettings(HttpRedirects.DONT_FOLLOW, null, null,
			null);

	private final List<ClientHttpConnectorBuilderCustomizer<?>> customizers;

	BootConnectorCustomizers(List<ClientHttpConnectorBuilderCustomizer<?>> customizers) {
		this.customizers = customizers;
	}

	/**
	 * Return the application's customizers as a client customizer, or {@code null} when it has none but Boot's
	 * {@value #BOOT_RESOURCES_CUSTOMIZER}.
	 */
	static @Nullable HttpClientCustomizer of(ListableBeanFactory beanFactory) {
		Object bootResources = beanFactory.containsBean(BOOT_RESOURCES_CUSTOMIZER)
				? beanFactory.getBean(BOOT_RESOURCES_CUSTOMIZER) : null;
		List<ClientHttpConnectorBuilderCustomizer<?>> customizers = new ArrayList<>();
		for (ClientHttpConnectorBuilderCustomizer<?> customizer : beanFactory
			.getBeanProvider(ClientHttpConnectorBuilderCustomizer.class)
			.orderedStream()
			.toList()) {
			if (customizer != bootResources) {
				customizers.add(customizer);
			}
		}
		return customizers.isEmpty() ? null : new BootConnectorCustomizers(customizers);
	}

	@Override
	public void customize(String clientName, WebClient.Builder builder) {
	}

	@Override
	@SuppressWarnings("unchecked")
	public HttpClient customizeConnector(String clientName, HttpClient connector) {
		ClientHttpConnectorBuilder<?>[] builder = {
				ClientHttpConnectorBuilder.reactor().withHttpClientFactory(() -> connector) };
		LambdaSafe.callbacks(ClientHttpConnectorBuilderCustomizer.class, this.customizers, builder[0])
			.withLogger(BootConnectorCustomizers.class)
			.invoke((customizer) -> builder[0] = customizer.customize(builder[0]));
		if (!(builder[0] instanceof ReactorClientHttpConnectorBuilder reactor)) {
			return connector;
		}
		AtomicReference<HttpClient> customized = new AtomicReference<>(connector);
		reactor.withHttpClientFactory(() -> connector).withHttpClientCustomizer((client) -> {
			customized.set(client);
			return client;
		}).build(NO_SETTINGS);
		return customized.get();
	}

}
