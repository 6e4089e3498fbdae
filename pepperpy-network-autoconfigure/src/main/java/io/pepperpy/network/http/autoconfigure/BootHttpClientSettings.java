package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import io.pepperpy.network.http.HttpClientCustomizer;
import io.pepperpy.network.http.HttpConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Spring Boot's global HTTP client settings ({@code spring.http.clients.*}) as the fallback under a client's own:
 * <ul>
 * <li>{@code connect-timeout}: the client's {@code connect-timeout} when it sets one, else Boot's;</li>
 * <li>{@code read-timeout}: Boot's bounds each wait for data (Reactor Netty's response timeout), on top of the
 * client's {@code timeout}, which bounds the whole attempt;</li>
 * <li>{@code ssl.bundle}: the client's {@code ssl-bundle} when it sets one, else Boot's;</li>
 * <li>{@code redirects}: never Boot's; the client follows redirects itself ({@code follow-redirects}), so that
 * credentials are dropped on a hop to another origin.</li>
 * </ul>
 */
final class BootHttpClientSettings {

	private static final String BOOT = "spring.http.clients";

	private final Environment environment;

	private final Binder binder;

	BootHttpClientSettings(Environment environment) {
		this.environment = environment;
		this.binder = Binder.get(environment);
	}

	/**
	 * Apply Boot's connect timeout to a client whose properties do not set one.
	 */
	HttpConfig.Builder applyTo(HttpConfig.Builder builder, String name) {
		if (!setByClient(name, "connect-timeout")) {
			this.binder.bind(BOOT + ".connect-timeout", Duration.class).ifBound(builder::connectTimeout);
		}
		return builder;
	}

	/**
	 * Return the SSL bundle of a client: its own, else Boot's.
	 */
	@Nullable String sslBundle(@Nullable String own) {
		return (own != null) ? own : this.binder.bind(BOOT + ".ssl.bundle", String.class).orElse(null);
	}

	/**
	 * Return the customizer that applies Boot's read timeout to a client's connector, or {@code null}.
	 */
	@Nullable HttpClientCustomizer readTimeout() {
		Duration readTimeout = this.binder.bind(BOOT + ".read-timeout", Duration.class).orElse(null);
		if (readTimeout == null) {
			return null;
		}
		return new HttpClientCustomizer() {

			@Override
			public void customize(String clientName,
					org.springframework.web.reactive.function.client.WebClient.Builder builder) {
			}

			@Override
			public reactor.netty.http.client.HttpClient customizeConnector(String clientName,
					reactor.netty.http.client.HttpClient connector) {
				return connector.responseTimeout(readTimeout);
			}

		};
	}

	private boolean setByClient(String name, String property) {
		return this.environment.containsProperty(PepperpyHttpProperties.PREFIX + "." + property)
				|| this.environment.containsProperty(PepperpyHttpProperties.PREFIX + ".clients." + name + "." + property);
	}

}
