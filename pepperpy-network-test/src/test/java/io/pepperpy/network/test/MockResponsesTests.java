package io.pepperpy.network.test;

import java.time.Duration;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.NetworkException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each of {@link MockResponses} against the real client.
 */
class MockResponsesTests {

	@RegisterExtension
	static final MockHttpServerExtension server = new MockHttpServerExtension((config) -> config
		.timeout(Duration.ofMillis(500))
		.retries(2)
		.retryDelay(Duration.ofMillis(10))
		.retryJitter(Duration.ZERO));

	@Test
	void statusSurfacesAsAStatusError() {
		server.stubFor(get("/down").willReturn(MockResponses.status(503)));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> call("/down"))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(Kind.STATUS);
				assertThat(ex.status()).isEqualTo(503);
			});
		server.verify(3, getRequestedFor(urlEqualTo("/down")));
	}

	@Test
	void delayPastTheTimeoutSurfacesAsATimeout() {
		server.stubFor(get("/slow").willReturn(MockResponses.delay(Duration.ofSeconds(2))));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> server.client().get("/slow").retries(0).retrieve().block())
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(Kind.TIMEOUT));
	}

	@Test
	void droppedConnectionSurfacesAsAnIoError() {
		server.stubFor(get("/reset").willReturn(MockResponses.droppedConnection()));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> server.client().get("/reset").retries(0).retrieve().block())
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(Kind.IO));
	}

	@Test
	void emptyResponseSurfacesAsAProtocolOrIoError() {
		server.stubFor(get("/empty").willReturn(MockResponses.emptyResponse()));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> server.client().get("/empty").retries(0).retrieve().block())
			.satisfies((ex) -> assertThat(ex.kind()).isIn(Kind.PROTOCOL, Kind.IO));
	}

	@Test
	void retryAfterIsHonouredOn429() {
		assertRetriedAfter(MockResponses.retryAfter(429, Duration.ofSeconds(1)), "/limited");
	}

	@Test
	void retryAfterIsHonouredOn503() {
		assertRetriedAfter(MockResponses.retryAfter(503, 1), "/busy");
	}

	private void assertRetriedAfter(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first,
			String path) {
		server.stubFor(get(path).inScenario(path)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(first)
			.willSetStateTo("ready"));
		server.stubFor(get(path).inScenario(path).whenScenarioStateIs("ready").willReturn(okJson("\"done\"")));
		long start = System.nanoTime();
		Object body = server.client().get(path).retrieve().block(Duration.ofSeconds(10));
		long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
		assertThat(body).isEqualTo("done");
		assertThat(elapsed).as("waited for Retry-After, not the 10 ms retry delay").isGreaterThanOrEqualTo(900);
		server.verify(2, getRequestedFor(urlEqualTo(path)));
	}

	private static Object call(String path) {
		return server.client().get(path).retrieve().block(Duration.ofSeconds(10));
	}

}
