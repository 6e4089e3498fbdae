package io.pepperpy.network.test;

import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

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

/**
 * {@link MockHttpServerExtension} without Spring.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MockHttpServerExtensionTests {

	@RegisterExtension
	static final MockHttpServerExtension server = new MockHttpServerExtension(
			(config) -> config.retries(0).header("X-Api-Key", "secret"));

	@Test
	@Order(1)
	void givesAClientPointedAtTheServer() {
		server.stubFor(get("/users/1").willReturn(okJson("{\"id\":1,\"name\":\"Ada\"}")));
		server.stubFor(post("/users").willReturn(okJson("{\"id\":2}")));

		Object user = server.client().get("/users/{id}", 1).retrieve(Map.class).block();
		server.client().post("/users").json(Map.of("name", "Alan")).retrieve().block();

		assertThat(user).isEqualTo(Map.of("id", 1, "name", "Ada"));
		assertThat(server.client().config().baseUrl()).isEqualTo(server.baseUrl());
		assertThat(server.client().config().retry().settings().maxRetries()).isZero();
		server.verify(1, getRequestedFor(urlEqualTo("/users/1")).withHeader("X-Api-Key", equalTo("secret")));
		server.verify(1, postRequestedFor(urlEqualTo("/users")).withRequestBody(equalToJson("{\"name\":\"Alan\"}")));
	}

	@Test
	@Order(2)
	void resetsBeforeEachTest() {
		assertThat(server.getStubMappings()).isEmpty();
		assertThat(server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
	}

	@Test
	void bindsToLoopback() {
		assertThat(server.baseUrl()).startsWith("http://127.0.0.1:");
		assertThat(server.isRunning()).isTrue();
	}

}
