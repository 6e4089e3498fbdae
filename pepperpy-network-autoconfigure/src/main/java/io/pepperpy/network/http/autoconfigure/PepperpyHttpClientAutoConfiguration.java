package io.pepperpy.network.http.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.pepperpy.network.http.AccessTokenSource;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpClientCustomizer;
import io.pepperpy.network.http.HttpConfig;
import io.pepperpy.network.http.RequestInterceptor;
import io.pepperpy.network.http.RetryPredicate;
import io.pepperpy.network.internal.autoconfigure.ClientPropertiesRuntimeHints;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Primary;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of pepperpy {@link HttpClient}s: maps {@code pepperpy.network.http.*} once into the default
 * {@link HttpConfig} bean and client ({@code pepperpyHttpClient}), registers one client per
 * {@code pepperpy.network.http.clients.<name>} ({@code <name>HttpClient}, {@code @Qualifier("<name>")}), and
 * builds each from Boot's {@link WebClient.Builder} (so its codecs, customizers and observation apply) with its
 * own connector, pool, rate limiter, retry budget and meters. {@link PepperpyHttpProperties} are bound (and
 * checked) only when a {@code pepperpy.network.http.*} property is set; without any, the default client is made
 * from their defaults and there is no properties bean.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
		"org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
		"org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration" })
@ConditionalOnClass({ WebClient.class, reactor.netty.http.client.HttpClient.class })
@Import({ PepperpyHttpClientAutoConfiguration.PropertiesConfiguration.class, NamedHttpClientsRegistrar.class })
@ImportRuntimeHints(ClientPropertiesRuntimeHints.class)
public final class PepperpyHttpClientAutoConfiguration {

	/**
	 * Name of the default client bean.
	 */
	public static final String DEFAULT_BEAN_NAME = "pepperpyHttpClient";

	@Bean
	@ConditionalOnMissingBean
	HttpConfig pepperpyHttpConfig(ObjectProvider<PepperpyHttpProperties> properties,
			ListableBeanFactory beanFactory) {
		PepperpyHttpProperties all = properties(properties);
		return config(all, HttpConfig.DEFAULT_NAME, all, beanFactory);
	}

	@Bean(name = DEFAULT_BEAN_NAME)
	@Primary
	@ConditionalOnMissingBean(HttpClient.class)
	HttpClient pepperpyHttpClient(HttpConfig pepperpyHttpConfig, ObjectProvider<PepperpyHttpProperties> properties,
			ListableBeanFactory beanFactory) {
		return create(pepperpyHttpConfig, properties(properties).getSslBundle(), beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	HttpClientsLifecycle pepperpyHttpClientsLifecycle(ObjectProvider<HttpClient> clients) {
		return new HttpClientsLifecycle(clients);
	}

	/**
	 * Return the bound properties, or their defaults when no {@code pepperpy.network.http.*} property is set (then
	 * there is no properties bean: see {@link PropertiesConfiguration}).
	 */
	private static PepperpyHttpProperties properties(ObjectProvider<PepperpyHttpProperties> properties) {
		PepperpyHttpProperties bound = properties.getIfAvailable();
		return (bound != null) ? bound : new PepperpyHttpProperties();
	}

	/**
	 * Build a client's configuration from its properties, with the retry predicate bean and the interceptor beans
	 * that apply to it: every interceptor no client lists, plus those its {@code interceptors} property lists, in
	 * {@code @Order}.
	 */
	static HttpConfig config(PepperpyHttpClientProperties client, String name, PepperpyHttpProperties all,
			ListableBeanFactory beanFactory) {
		Set<String> listedAnywhere = new LinkedHashSet<>(all.getInterceptors());
		for (PepperpyHttpClientProperties named : all.getClients().values()) {
			listedAnywhere.addAll(named.getInterceptors());
		}
		for (String listed : listedAnywhere) {
			if (!beanFactory.containsBean(listed)) {
				throw new IllegalStateException("pepperpy.network.http interceptors list '" + listed
						+ "', but there is no RequestInterceptor bean of that name");
			}
		}
		List<String> names = List.of(beanFactory.getBeanNamesForType(RequestInterceptor.class));
		// Loops rather than lambdas: each lambda costs start-up time to link.
		List<RequestInterceptor> interceptors = new ArrayList<>();
		for (RequestInterceptor interceptor : beanFactory.getBeanProvider(RequestInterceptor.class)
			.orderedStream()
			.toList()) {
			String beanName = beanName(beanFactory, names, interceptor);
			if (beanName == null || !listedAnywhere.contains(beanName)
					|| client.getInterceptors().contains(beanName)) {
				interceptors.add(interceptor);
			}
		}
		// Layered: the client's properties over Boot's spring.http.clients.* over HttpConfig's defaults.
		HttpConfig.Builder builder = BootHttpClientSettings.of(beanFactory).applyTo(HttpConfig.builder().name(name));
		return HttpClientPropertiesMapper.map(client, builder)
			.interceptors(interceptors)
			.retryPredicate(beanFactory.getBeanProvider(RetryPredicate.class).getIfUnique())
			.accessTokens(accessTokens(client, name, beanFactory))
			.build();
	}

	/**
	 * The client's OAuth2 token source when {@code oauth2.registration-id} is set: a start-up error naming the
	 * property when Spring Security's OAuth2 client is not on the classpath or the registration does not exist.
	 */
	private static @Nullable AccessTokenSource accessTokens(PepperpyHttpClientProperties client, String name,
			ListableBeanFactory beanFactory) {
		String registrationId = client.getOauth2().getRegistrationId();
		if (registrationId == null || registrationId.isBlank()) {
			return null;
		}
		String property = (HttpConfig.DEFAULT_NAME.equals(name) ? "pepperpy.network.http."
				: "pepperpy.network.http.clients." + name + ".") + "oauth2.registration-id";
		ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
				? configurable.getBeanClassLoader() : beanFactory.getClass().getClassLoader();
		if (!ClassUtils.isPresent(OAUTH2_CLIENT_MANAGER, classLoader)) {
			throw new IllegalStateException(property + " is '" + registrationId + "', but Spring Security's OAuth2 "
					+ "client is not on the classpath: add org.springframework.boot:spring-boot-starter-oauth2-client");
		}
		// In a class of its own, so that this one links without Spring Security.
		return OAuth2AccessTokens.of(name, registrationId, client.getOauth2().getClockSkew(), property, beanFactory);
	}

	private static final String OAUTH2_CLIENT_MANAGER = "org.springframework.security.oauth2.client."
			+ "AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager";

	private static @Nullable String beanName(ListableBeanFactory beanFactory, List<String> names, Object bean) {
		for (String name : names) {
			if (beanFactory.getBean(name) == bean) {
				return name;
			}
		}
		return null;
	}

	/**
	 * Build a client from Boot's infrastructure beans.
	 */
	static HttpClient create(HttpConfig config, @Nullable String sslBundle, ListableBeanFactory beanFactory) {
		HttpClient.Builder builder = HttpClient.builder().config(config);
		// Boot's prototype builder (and its connector) is made on the first request, not at start-up.
		ObjectProvider<WebClient.Builder> webClientBuilders = beanFactory.getBeanProvider(WebClient.Builder.class);
		builder.webClientBuilder(webClientBuilders::getIfAvailable);
		JsonMapper jsonMapper = beanFactory.getBeanProvider(JsonMapper.class).getIfAvailable();
		if (jsonMapper != null) {
			builder.jsonMapper(jsonMapper);
		}
		MeterRegistry meterRegistry = beanFactory.getBeanProvider(MeterRegistry.class).getIfUnique();
		if (meterRegistry != null) {
			builder.meterRegistry(meterRegistry);
		}
		ObservationRegistry observationRegistry = beanFactory.getBeanProvider(ObservationRegistry.class).getIfUnique();
		if (observationRegistry != null) {
			builder.observationRegistry(observationRegistry);
		}
		// As Boot observes its own WebClients: the application's convention, under the configured name.
		ClientRequestObservationConvention convention = beanFactory
			.getBeanProvider(ClientRequestObservationConvention.class)
			.getIfUnique();
		if (convention != null) {
			builder.observationConvention(convention);
		}
		String observationName = BootObservationName.of(beanFactory);
		if (observationName != null) {
			builder.observationName(observationName);
		}
		for (HttpClientCustomizer customizer : beanFactory.getBeanProvider(HttpClientCustomizer.class)
			.orderedStream()
			.toList()) {
			builder.customizer(customizer);
		}
		CircuitBreakerRegistry circuitBreakers = beanFactory.getBeanProvider(CircuitBreakerRegistry.class)
			.getIfUnique();
		if (circuitBreakers != null) {
			builder.circuitBreakerRegistry(circuitBreakers);
		}
		RedisRateLimitConnection redis = beanFactory.getBeanProvider(RedisRateLimitConnection.class).getIfAvailable();
		if (redis != null) {
			redis.applyTo(builder);
		}
		BootHttpClientSettings boot = BootHttpClientSettings.of(beanFactory);
		if (ClassUtils.isPresent(CONNECTOR_BUILDER_CUSTOMIZER, beanFactory.getClass().getClassLoader())) {
			// Boot's connector customizers, in a class of their own so that this one links without Boot's module.
			HttpClientCustomizer connectorCustomizers = BootConnectorCustomizers.of(beanFactory);
			if (connectorCustomizers != null) {
				builder.customizer(connectorCustomizers);
			}
		}
		HttpClientCustomizer readTimeout = boot.readTimeout();
		if (readTimeout != null) {
			builder.customizer(readTimeout);
		}
		if (config.transport().verifySsl()) {
			SslBundle bundle = (sslBundle != null) ? sslBundle(sslBundle, config, beanFactory) : boot.sslBundle();
			if (bundle != null) {
				builder.tls(bundle.getManagers().getKeyManagerFactory(),
						bundle.getManagers().getTrustManagerFactory());
				SslOptions options = bundle.getOptions();
				builder.tlsOptions((options.getCiphers() != null) ? List.of(options.getCiphers()) : null,
						(options.getEnabledProtocols() != null) ? List.of(options.getEnabledProtocols()) : null);
			}
		}
		return builder.build();
	}

	private static SslBundle sslBundle(String name, HttpConfig config, ListableBeanFactory beanFactory) {
		SslBundles bundles = beanFactory.getBeanProvider(SslBundles.class).getIfAvailable();
		if (bundles == null) {
			throw new IllegalStateException("HTTP client '" + config.name() + "' uses ssl-bundle '" + name
					+ "' but SSL bundles are not available (spring.ssl.bundle.*)");
		}
		return bundles.getBundle(name);
	}

	private static final String CONNECTOR_BUILDER_CUSTOMIZER = "org.springframework.boot.http.client.autoconfigure."
			+ "reactive.ClientHttpConnectorBuilderCustomizer";

	/**
	 * Binds {@link PepperpyHttpProperties} (and checks them, failing start-up on an invalid value) when a
	 * {@code pepperpy.network.http.*} property is set. Without any, binding them would only find their defaults, and
	 * costs a minimal application tens of milliseconds at start-up: the client is then made from the defaults.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnHttpPropertiesCondition.class)
	@EnableConfigurationProperties(PepperpyHttpProperties.class)
	static class PropertiesConfiguration {

	}

}
