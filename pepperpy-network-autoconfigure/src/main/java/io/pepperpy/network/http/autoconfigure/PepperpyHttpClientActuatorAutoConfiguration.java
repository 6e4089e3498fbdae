package io.pepperpy.network.http.autoconfigure;

import io.pepperpy.network.http.HttpClient;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator support for pepperpy clients: the {@code httpclients} endpoint (each client's effective configuration,
 * secrets redacted, and live state) and an opt-in health indicator.
 */
@AutoConfiguration(after = PepperpyHttpClientAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, HttpClient.class })
public final class PepperpyHttpClientActuatorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	HttpClientsEndpoint httpClientsEndpoint(ListableBeanFactory beanFactory) {
		return new HttpClientsEndpoint(beanFactory);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnBooleanProperty("pepperpy.network.http.health.enabled")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "pepperpyHttpClientsHealthIndicator")
		HttpClientsHealthIndicator pepperpyHttpClientsHealthIndicator(ListableBeanFactory beanFactory) {
			return new HttpClientsHealthIndicator(beanFactory);
		}

	}

}
