package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import io.pepperpy.network.http.HttpClientCustomizer;
import io.pepperpy.network.http.HttpConfig;
import io.pepperpy.network.internal.autoconfigure.OnPropertiesUnderPrefixCondition;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.HttpClientSettingsPropertyMapper;
import org.springframework.boot.http.client.autoconfigure.HttpClientsProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Spring Boot's global HTTP client settings ({@code spring.http.clients.*}) as the level under a client's own
 * properties, as Boot maps them: its {@link HttpClientSettings} bean when there is one, else its
 * {@link HttpClientsProperties} mapped by its own {@link HttpClientSettingsPropertyMapper}.
 * <ul>
 * <li>{@code connect-timeout}: put on the builder before the client's properties, so that the client's
 * {@code connect-timeout} (its own, else the default client's) wins when set, and Boot's otherwise;</li>
 * <li>{@code read-timeout}: Boot's bounds each wait for data (Reactor Netty's response timeout), on top of the
 * client's {@code timeout}, which bounds the whole attempt;</li>
 * <li>{@code ssl.bundle}: the client's {@code ssl-bundle} when it sets one, else Boot's;</li>
 * <li>{@code redirects}: never Boot's; the client follows redirects itself ({@code follow-redirects}), so that
 * credentials are dropped on a hop to another origin.</li>
 * </ul>
 * Without Boot's {@code spring-boot-http-client} module there are no such settings.
 */
final class BootHttpClientSettings {

	private static final String PREFIX = "spring.http.clients";

	private static final boolean PRESENT = ClassUtils.isPresent("org.springframework.boot.http.client.HttpClientSettings",
			BootHttpClientSettings.class.getClassLoader());

	private static final BootHttpClientSettings NONE = new BootHttpClientSettings(null, null, null);

	private final @Nullable Duration connectTimeout;

	private final @Nullable Duration readTimeout;

	private final @Nullable SslBundle sslBundle;

	private BootHttpClientSettings(@Nullable Duration connectTimeout, @Nullable Duration readTimeout,
			@Nullable SslBundle sslBundle) {
		this.connectTimeout = connectTimeout;
		this.readTimeout = readTimeout;
		this.sslBundle = sslBundle;
	}

	/**
	 * Return Boot's settings in an application context.
	 * @param beanFactory the bean factory
	 * @return the settings, empty when Boot has none
	 */
	static BootHttpClientSettings of(ListableBeanFactory beanFactory) {
		return PRESENT ? Mapped.of(beanFactory) : NONE;
	}

	/**
	 * Put Boot's connect timeout on a builder, under the client's properties that are mapped next.
	 */
	HttpConfig.Builder applyTo(HttpConfig.Builder builder) {
		if (this.connectTimeout != null) {
			builder.connectTimeout(this.connectTimeout);
		}
		return builder;
	}

	/**
	 * Return Boot's SSL bundle, for a client that names none.
	 */
	@Nullable SslBundle sslBundle() {
		return this.sslBundle;
	}

	/**
	 * Return the customizer that applies Boot's read timeout to a client's connector, or {@code null}.
	 */
	@Nullable HttpClientCustomizer readTimeout() {
		Duration readTimeout = this.readTimeout;
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

	/**
	 * Reads Boot's settings; a class of its own so that {@link BootHttpClientSettings} links without Boot's module.
	 */
	private static final class Mapped {

		static BootHttpClientSettings of(ListableBeanFactory beanFactory) {
			HttpClientSettings settings = beanFactory.getBeanProvider(HttpClientSettings.class).getIfAvailable();
			if (settings == null) {
				settings = map(beanFactory);
			}
			return new BootHttpClientSettings(settings.connectTimeout(), settings.readTimeout(), settings.sslBundle());
		}

		/**
		 * Map {@code spring.http.clients.*} as Boot's {@code HttpClientAutoConfiguration} does, when it is not
		 * applied; binding is skipped when nothing under the prefix is set.
		 */
		private static HttpClientSettings map(ListableBeanFactory beanFactory) {
			Environment environment = beanFactory.getBeanProvider(Environment.class).getIfAvailable();
			HttpClientsProperties properties = beanFactory.getBeanProvider(HttpClientsProperties.class).getIfAvailable();
			if (properties == null) {
				if (environment == null || !OnPropertiesUnderPrefixCondition.anySet(environment, PREFIX)) {
					return HttpClientSettings.defaults();
				}
				properties = Binder.get(environment).bindOrCreate(PREFIX, HttpClientsProperties.class);
			}
			SslBundles sslBundles = beanFactory.getBeanProvider(SslBundles.class).getIfAvailable();
			return new HttpClientSettingsPropertyMapper(sslBundles, null).map(properties);
		}

	}

}
