package io.pepperpy.network.test.app;

import java.time.Duration;
import java.util.Map;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.test.AutoConfigureMockHttpServers;
import io.pepperpy.network.test.MockHttpServer;
import io.pepperpy.network.test.MockHttpServers;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AutoConfigureMockHttpServers} on a whole application whose named clients are declared only in its
 * {@code application.yml}.
 */
@SpringBootTest
@AutoConfigureMockHttpServers
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureMockHttpServersTests {

	@Autowired
	private MockHttpServers servers;

	@Autowired
	private UserService userService;

	@Autowired
	private BillingService billingService;

	@Autowired
	private HttpClient defaultClient;

	@Autowired
	private Environment environment;

	@Test
	@Order(1)
	void stubsAndVerifiesEachNamedClient() {
		MockHttpServer users = this.servers.get("users");
		MockHttpServer billing = this.servers.get("billing");
		users.stubFor(get("/api/users/1").willReturn(okJson("{\"id\":1,\"name\":\"Ada\"}")));
		billing.stubFor(post("/charges").willReturn(okJson("{\"charged\":true}")));

		assertThat(this.userService.user(1)).containsEntry("name", "Ada");
		assertThat(this.billingService.charge(1, 250)).containsEntry("charged", true);

		users.verify(1, getRequestedFor(urlEqualTo("/api/users/1")).withHeader("X-Client", equalTo("users"))
			.withHeader("X-Trace", equalTo("test")));
		billing.verify(1, postRequestedFor(urlEqualTo("/charges"))
			.withRequestBody(equalToJson("{\"user\":1,\"cents\":250}")));
		assertThat(billing.findAll(getRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	@Order(2)
	void resetsStubsAndRequestsBetweenTests() {
		for (String name : this.servers.clientNames()) {
			MockHttpServer server = this.servers.get(name);
			assertThat(server.getStubMappings()).as(name).isEmpty();
			assertThat(server.findAll(anyRequestedFor(anyUrl()))).as(name).isEmpty();
		}
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> this.userService.user(1))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(404));
	}

	@Test
	void findsTheClientsOfApplicationYmlAndTheDefaultClient() {
		assertThat(this.servers.clientNames()).containsExactlyInAnyOrder("default", "users", "billing");
		assertThat(this.environment.getProperty("pepperpy.network.http.clients.users.base-url"))
			.isEqualTo(this.servers.get("users").baseUrl() + "/api");
		assertThat(this.environment.getProperty("pepperpy.network.http.clients.billing.base-url"))
			.isEqualTo(this.servers.get("billing").baseUrl());
		assertThat(this.servers.get("users").port()).isNotEqualTo(this.servers.get("billing").port());
	}

	@Test
	void pointsTheDefaultClientAtItsServer() {
		this.servers.defaultServer().stubFor(get("/ping").willReturn(okJson("{\"pong\":true}")));
		assertThat(this.defaultClient.get("/ping").retrieve(Map.class).block(Duration.ofSeconds(10)))
			.containsEntry("pong", true);
		this.servers.defaultServer().verify(getRequestedFor(urlEqualTo("/ping")));
	}

	@Test
	void rejectsAnUnknownClientName() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> this.servers.get("orders"))
			.withMessageContaining("orders");
	}

}
