package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.LoopbackWireMock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PepperpyHttpServiceGroupsAutoConfiguration}: an application that declares its HTTP interfaces
 * only with {@code @ImportHttpServices} groups and its partners only in YAML gets the named clients' base URL,
 * headers, retries, meters and typed errors on its interface calls, for both client types.
 */
class PepperpyHttpServiceGroupsAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
				PepperpyHttpServiceGroupsAutoConfiguration.class, WebClientAutoConfiguration.class,
				JacksonAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	private static String http() {
		return "http://127.0.0.1:" + server.port();
	}

	interface UsersApi {

		@GetExchange("/users/{id}")
		Map<String, Object> user(@PathVariable int id);

		@PostExchange("/users")
		Map<String, Object> create(@RequestBody Map<String, Object> user);

	}

	interface BillingApi {

		@GetExchange("/invoices/{id}")
		Mono<Map<String, Object>> invoice(@PathVariable int id);

	}

	interface StatusApi {

		@GetExchange("/status")
		Map<String, Object> status();

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "users", types = UsersApi.class)
	@ImportHttpServices(group = "billing", types = BillingApi.class, clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
	static class GroupsConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(StatusApi.class)
	static class DefaultGroupConfiguration {

	}

	@Test
	void aRestClientGroupIsServedByTheNamedClientOfItsName() {
		stubFlaky("/api/users/7", okJson("{\"id\":7}"));
		this.contextRunner.withUserConfiguration(GroupsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + http() + "/api",
					"pepperpy.network.http.clients.users.headers.X-Api-Key=k1",
					"pepperpy.network.http.clients.users.retry-delay=10ms",
					"pepperpy.network.http.clients.billing.base-url=" + http())
			.run((context) -> {
				assertThat(context.getBean(UsersApi.class).user(7)).containsEntry("id", 7);
				server.verify(2, getRequestedFor(urlEqualTo("/api/users/7")).withHeader("X-Api-Key", equalTo("k1")));
				assertThat(context.getBean(SimpleMeterRegistry.class)
					.get("pepperpy.http.client.calls")
					.tags("client", "users", "uri", "/users/{id}", "status", "200")
					.timer()
					.count()).isEqualTo(1);
				assertThat(context.getBean(SimpleMeterRegistry.class)
					.get("pepperpy.http.client.retries")
					.tags("client", "users")
					.counter()
					.count()).isEqualTo(1.0);
			});
	}

	@Test
	void aWebClientGroupIsServedByTheNamedClientOfItsName() {
		stubFlaky("/invoices/3", okJson("{\"id\":3}"));
		this.contextRunner.withUserConfiguration(GroupsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + http(),
					"pepperpy.network.http.clients.billing.base-url=" + http(),
					"pepperpy.network.http.clients.billing.retry-delay=10ms")
			.run((context) -> {
				assertThat(context.getBean(BillingApi.class).invoice(3).block(WAIT)).containsEntry("id", 3);
				server.verify(2, getRequestedFor(urlEqualTo("/invoices/3")));
				assertThat(context.getBean(SimpleMeterRegistry.class)
					.get("pepperpy.http.client.calls")
					.tags("client", "billing", "uri", "/invoices/{id}")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void aPostIsNotRetriedAndItsStatusIsATypedError() {
		server.stubFor(post("/users").willReturn(aResponse().withStatus(503).withBody("busy")));
		this.contextRunner.withUserConfiguration(GroupsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + http(),
					"pepperpy.network.http.clients.billing.base-url=" + http())
			.run((context) -> {
				assertThatExceptionOfType(NetworkException.class)
					.isThrownBy(() -> context.getBean(UsersApi.class).create(Map.of("name", "Ann")))
					.satisfies((ex) -> {
						assertThat(ex.status()).isEqualTo(503);
						assertThat(ex.getMessage()).contains("not idempotent");
					});
				server.verify(1, postRequestedFor(urlEqualTo("/users")));
			});
	}

	@Test
	void theDefaultGroupIsServedByTheDefaultClient() {
		server.stubFor(get("/status").willReturn(okJson("{\"up\":true}")));
		this.contextRunner.withUserConfiguration(DefaultGroupConfiguration.class)
			.withPropertyValues("pepperpy.network.http.base-url=" + http(),
					"pepperpy.network.http.headers.X-Default=yes")
			.run((context) -> {
				assertThat(context.getBean(StatusApi.class).status()).containsEntry("up", true);
				server.verify(getRequestedFor(urlEqualTo("/status")).withHeader("X-Default", equalTo("yes")));
			});
	}

	@Test
	void aGroupSettingTheClientWouldIgnoreFailsStartUp() {
		this.contextRunner.withUserConfiguration(GroupsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + http() + "/api",
					"pepperpy.network.http.clients.billing.base-url=" + http(),
					"spring.http.serviceclient.users.base-url=http://other.example",
					"spring.http.serviceclient.users.read-timeout=5s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("HTTP service group 'users' is served by pepperpy.network.http.clients.users")
					.hasMessageContaining("spring.http.serviceclient.users.base-url is set: set "
							+ "pepperpy.network.http.clients.users.base-url instead")
					.hasMessageContaining("spring.http.serviceclient.users.read-timeout is set: set "
							+ "pepperpy.network.http.clients.users.timeout instead");
			});
	}

	@Test
	void theSameBaseUrlInBothPlacesIsNoConflict() {
		server.stubFor(get("/users/1").willReturn(okJson("{\"id\":1}")));
		this.contextRunner.withUserConfiguration(GroupsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + http(),
					"pepperpy.network.http.clients.billing.base-url=" + http(),
					"spring.http.serviceclient.users.base-url=" + http())
			.run((context) -> assertThat(context.getBean(UsersApi.class).user(1)).containsEntry("id", 1));
	}

	private static void stubFlaky(String path,
			com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder finally_) {
		server.stubFor(get(path).inScenario(path)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("up"));
		server.stubFor(get(path).inScenario(path).whenScenarioStateIs("up").willReturn(finally_));
	}

}
