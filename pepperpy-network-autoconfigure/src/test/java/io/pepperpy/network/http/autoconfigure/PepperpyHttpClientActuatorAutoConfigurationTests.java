package io.pepperpy.network.http.autoconfigure;

import java.util.Map;

import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpClientState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PepperpyHttpClientActuatorAutoConfiguration}.
 */
class PepperpyHttpClientActuatorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
				PepperpyHttpClientActuatorAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=httpclients",
				"pepperpy.network.http.base-url=https://api.example.com",
				"pepperpy.network.http.headers.Authorization=Bearer secret-token",
				"pepperpy.network.http.headers.X-Team=payments",
				"pepperpy.network.http.proxy=http://user:proxy-secret@proxy.example.com:8080",
				"pepperpy.network.http.max-rate-limit=50");

	@Test
	void endpointListsEachClientWithSecretsRedacted() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HttpClientsEndpoint.class);
			Map<String, HttpClientState> clients = context.getBean(HttpClientsEndpoint.class).clients();
			assertThat(clients).containsOnlyKeys("pepperpyHttpClient");
			HttpClientState state = clients.get("pepperpyHttpClient");
			assertThat(state.name()).isEqualTo("default");
			assertThat(state.maxRateLimit()).isEqualTo(50);
			assertThat(state.retryBudgetRemaining()).isPositive();
			assertThat(state.configuration()).containsEntry("base-url", "https://api.example.com")
				.containsEntry("headers", Map.of("Authorization", "***", "X-Team", "payments"))
				.containsEntry("proxy", "http://***@proxy.example.com:8080");
			assertThat(state.toString()).doesNotContain("secret-token").doesNotContain("proxy-secret");
			assertThat(context.getBean(HttpClientsEndpoint.class).client("pepperpyHttpClient")).isEqualTo(state);
		});
	}

	@Test
	void endpointBacksOffWhenNotExposed() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
					PepperpyHttpClientActuatorAutoConfiguration.class))
			.withPropertyValues("management.endpoint.httpclients.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(HttpClientsEndpoint.class));
	}

	@Test
	void healthIsOptIn() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(HttpClientsHealthIndicator.class));
		this.contextRunner.withPropertyValues("pepperpy.network.http.health.enabled=true").run((context) -> {
			Health health = context.getBean(HttpClientsHealthIndicator.class).health(true);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsKey("pepperpyHttpClient");
		});
	}

	@Test
	void backsOffWithoutActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasSingleBean(HttpClient.class)
				.doesNotHaveBean(HttpClientsEndpoint.class));
	}

}
