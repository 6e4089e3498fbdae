package io.pepperpy.network.http.autoconfigure;

import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.pepperpy.network.http.HttpClientCustomizer;
import io.pepperpy.network.http.RequestInterceptor;
import io.pepperpy.network.http.RetryPredicate;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the pepperpy {@link HttpClient}: maps {@code pepperpy.network.http.*} once into an
 * {@link HttpConfig} bean, with every {@link RequestInterceptor} bean in {@code @Order}, and builds the client
 * from Boot's {@link WebClient.Builder} (so its codecs, customizers and observation apply).
 */
@AutoConfiguration(afterName = { "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
		"org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration",
		"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass({ WebClient.class, reactor.netty.http.client.HttpClient.class })
@EnableConfigurationProperties(PepperpyHttpProperties.class)
public final class PepperpyHttpClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpConfig pepperpyHttpConfig(PepperpyHttpProperties properties, ObjectProvider<RequestInterceptor> interceptors,
			ObjectProvider<RetryPredicate> retryPredicate) {
		return properties.toConfig(HttpConfig.DEFAULT_NAME)
			.interceptors(interceptors.orderedStream().toList())
			.retryPredicate(retryPredicate.getIfUnique())
			.build();
	}

	@Bean
	@ConditionalOnMissingBean(HttpClient.class)
	HttpClient pepperpyHttpClient(HttpConfig pepperpyHttpConfig, ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<MeterRegistry> meterRegistry,
			ObjectProvider<ObservationRegistry> observationRegistry, ObjectProvider<HttpClientCustomizer> customizers,
			ObjectProvider<RedisRateLimitConnection> redisRateLimitConnection) {
		HttpClient.Builder builder = HttpClient.builder().config(pepperpyHttpConfig);
		webClientBuilder.ifAvailable(builder::webClientBuilder);
		jsonMapper.ifAvailable(builder::jsonMapper);
		meterRegistry.ifUnique(builder::meterRegistry);
		observationRegistry.ifUnique(builder::observationRegistry);
		customizers.orderedStream().forEach(builder::customizer);
		redisRateLimitConnection.ifAvailable((connection) -> connection.applyTo(builder));
		return builder.build();
	}

}
