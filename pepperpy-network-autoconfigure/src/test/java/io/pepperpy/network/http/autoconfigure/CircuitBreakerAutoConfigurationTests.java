package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.LoopbackWireMock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The circuit breaker configured from properties: bound, inherited and checked like every property, taken from
 * resilience4j's registry when it has an instance of the client's name, and shown by the actuator and health.
 */
class CircuitBreakerAutoConfigurationTests {

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
				PepperpyHttpClientActuatorAutoConfiguration.class));

	@Test
	void offByDefault() {
		this.contextRunner.withPropertyValues("pepperpy.network.http.retries=1")
			.run((context) -> assertThat(context.getBean(HttpClient.class).config().circuitBreaker())
				.isEqualTo(CircuitBreakerSettings.DEFAULTS));
	}

	@Test
	void propertiesBindWithResilience4jsNamesAndNamedClientsInheritThem() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.circuit-breaker.enabled=true",
					"pepperpy.network.http.circuit-breaker.failure-rate-threshold=25",
					"pepperpy.network.http.circuit-breaker.wait-duration-in-open-state=5",
					"pepperpy.network.http.clients.partner.base-url=" + server.http(),
					"pepperpy.network.http.clients.partner.circuit-breaker.sliding-window-type=time-based",
					"pepperpy.network.http.clients.partner.circuit-breaker.slow-call-duration-threshold=2s",
					"pepperpy.network.http.clients.partner.circuit-breaker.permitted-number-of-calls-in-half-open-state=1")
			.run((context) -> {
				CircuitBreakerSettings partner = context.getBean("partnerHttpClient", HttpClient.class)
					.config()
					.circuitBreaker();
				assertThat(partner).isEqualTo(new CircuitBreakerSettings(true, 25, 100, Duration.ofSeconds(2), 20,
						SlidingWindowType.TIME_BASED, 50, Duration.ofSeconds(5), 1));
				assertThat(context.getBean("pepperpyHttpClient", HttpClient.class).config().circuitBreaker())
					.isEqualTo(new CircuitBreakerSettings(true, 25, 100, Duration.ofSeconds(10), 20,
							SlidingWindowType.COUNT_BASED, 50, Duration.ofSeconds(5), 3));
			});
	}

	@Test
	void invalidValuesFailStartupNamingThePropertyAndValue() {
		this.contextRunner.withPropertyValues("pepperpy.network.http.circuit-breaker.minimum-number-of-calls=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("circuit-breaker.minimum-number-of-calls must be 1 or more but was 0"));
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.clients.partner.circuit-breaker.failure-rate-threshold=150")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("pepperpy.network.http.clients.partner.circuit-breaker.failure-rate-threshold")
				.hasMessageContaining("150"));
	}

	@Test
	void anInstanceInResilience4jsRegistryIsUsedAndTheActuatorAndHealthShowItsState() {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
			.withPropertyValues("management.endpoints.web.exposure.include=httpclients",
					"pepperpy.network.http.health.enabled=true",
					"pepperpy.network.http.clients.partner.base-url=" + server.http(),
					"pepperpy.network.http.clients.partner.retries=0",
					"pepperpy.network.http.clients.partner.circuit-breaker.enabled=true")
			.run((context) -> {
				HttpClient partner = context.getBean("partnerHttpClient", HttpClient.class);
				HttpClientsHealthIndicator health = context.getBean(HttpClientsHealthIndicator.class);
				assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
				for (int i = 0; i < 2; i++) {
					assertThat(catchThrowableOfType(NetworkException.class,
							() -> partner.get("/down").retrieve().block(Duration.ofSeconds(5)))
						.kind()).isEqualTo(NetworkException.Kind.STATUS);
				}
				CircuitBreaker configured = context.getBean(CircuitBreakerRegistry.class).circuitBreaker("partner");
				assertThat(configured.getState()).isEqualTo(CircuitBreaker.State.OPEN);
				assertThat(catchThrowableOfType(NetworkException.class,
						() -> partner.get("/down").retrieve().block(Duration.ofSeconds(5)))
					.kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
				server.verify(2, getRequestedFor(urlEqualTo("/down")));
				assertThat(context.getBean(HttpClientsEndpoint.class).client("partnerHttpClient").circuitBreaker())
					.isEqualTo("open");
				Health down = health.health(true);
				assertThat(down.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(down.getDetails().get("partnerHttpClient").toString()).contains("circuitBreaker=open");
			});
	}

	@Test
	void withResilience4jsSpringBootSupportItsConfiguredInstanceIsUsed() {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		this.contextRunner.withConfiguration(AutoConfigurations.of(CircuitBreakerAutoConfiguration.class))
			.withPropertyValues("resilience4j.circuitbreaker.instances.partner.minimum-number-of-calls=3",
					"resilience4j.circuitbreaker.instances.partner.sliding-window-size=3",
					"pepperpy.network.http.clients.partner.base-url=" + server.http(),
					"pepperpy.network.http.clients.partner.retries=0",
					"pepperpy.network.http.clients.partner.circuit-breaker.enabled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HttpClient partner = context.getBean("partnerHttpClient", HttpClient.class);
				for (int i = 0; i < 3; i++) {
					partner.get("/down").retrieve().onErrorComplete().block(Duration.ofSeconds(5));
				}
				CircuitBreaker instance = context.getBean(CircuitBreakerRegistry.class).circuitBreaker("partner");
				assertThat(instance.getCircuitBreakerConfig().getMinimumNumberOfCalls()).isEqualTo(3);
				assertThat(instance.getState()).isEqualTo(CircuitBreaker.State.OPEN);
				assertThat(catchThrowableOfType(NetworkException.class,
						() -> partner.get("/down").retrieve().block(Duration.ofSeconds(5)))
					.kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
				server.verify(3, getRequestedFor(urlEqualTo("/down")));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryConfiguration {

		/**
		 * What resilience4j's Spring Boot support makes of
		 * {@code resilience4j.circuitbreaker.instances.partner.minimum-number-of-calls: 2}.
		 */
		@Bean
		CircuitBreakerRegistry circuitBreakerRegistry() {
			CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
			registry.circuitBreaker("partner",
					CircuitBreakerConfig.custom().minimumNumberOfCalls(2).slidingWindowSize(2).build());
			return registry;
		}

	}

}
