package io.pepperpy.sample;

import java.time.Duration;
import java.util.Map;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.test.HttpClientTest;
import io.pepperpy.network.test.MockHttpServer;
import io.pepperpy.network.test.MockHttpServers;
import io.pepperpy.network.test.MockResponses;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The sample's {@code users} HTTP service group and {@code status} client, configured by its
 * {@code application.yml}, against mock servers: no demo API, no scenarios, no port handling.
 */
@HttpClientTest
class UsersApiTests {

	@Autowired
	private UsersApi usersApi;

	@Autowired
	@Qualifier("status")
	private HttpClient status;

	@Autowired
	private MockHttpServers servers;

	@Test
	void getUserGoesThroughTheUsersClientWithItsHeaders() {
		MockHttpServer users = this.servers.get("users");
		users.stubFor(get("/users/2").willReturn(okJson("{\"id\":2,\"name\":\"Alan Turing\"}")));

		assertThat(this.usersApi.getUser(2)).containsEntry("name", "Alan Turing");

		users.verify(1, getRequestedFor(urlEqualTo("/users/2")).withHeader("X-Client", equalTo("users"))
			.withHeader("Authorization", equalTo("Bearer demo-token")));
	}

	@Test
	void createUserPostsJson() {
		MockHttpServer users = this.servers.get("users");
		users.stubFor(post("/users").willReturn(okJson("{\"id\":3}")));

		assertThat(this.usersApi.createUser(Map.of("name", "Grace Hopper"))).containsEntry("id", 3);

		users.verify(postRequestedFor(urlEqualTo("/users"))
			.withRequestBody(equalToJson("{\"name\":\"Grace Hopper\"}")));
	}

	@Test
	void usersClientRetriesA503OnceAsConfigured() {
		MockHttpServer users = this.servers.get("users");
		users.stubFor(get("/users/9").willReturn(MockResponses.status(503)));

		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> this.usersApi.getUser(9))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(503));

		users.verify(2, getRequestedFor(urlEqualTo("/users/9")));
	}

	@Test
	void statusClientReadsText() {
		this.servers.get("status").stubFor(get("/status").willReturn(ok("All systems operational").withHeader("Content-Type", "text/plain")));

		assertThat(this.status.get("/status").retrieve().block(Duration.ofSeconds(10)))
			.isEqualTo("All systems operational");
	}

}
