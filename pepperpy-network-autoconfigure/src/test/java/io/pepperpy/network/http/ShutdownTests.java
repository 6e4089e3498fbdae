package io.pepperpy.network.http;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.autoconfigure.PepperpyHttpClientAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Closing keeps its word: calls in flight may finish within {@code shutdown-grace-period}; one still running
 * after it is cut then, with a {@link NetworkException} that says so, and never sent again.
 */
class ShutdownTests {

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	@Test
	void aCallStillRunningAfterTheGracePeriodIsCutThen() throws Exception {
		server.stubFor(get("/slow").willReturn(okJson("{}").withFixedDelay(4000)));
		HttpClient client = HttpClient.create(HttpConfig.builder()
			.baseUrl("http://127.0.0.1:" + server.port())
			.shutdownGracePeriod(Duration.ofMillis(500))
			.timeout(Duration.ofSeconds(15))
			.build());
		CompletableFuture<Object> call = client.get("/slow").retrieve().toFuture();
		server.awaitRequest(getRequestedFor(urlEqualTo("/slow")));
		// Measured from the close (the bounds are those from the call's start less the 200 ms the test used to
		// sleep before closing).
		long start = System.nanoTime();
		client.closeGracefully().block(Duration.ofSeconds(10));
		long closedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		Throwable failure = call.handle((value, ex) -> ex).get(10, TimeUnit.SECONDS);
		long endedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(closedAfter).isBetween(400L, 1800L);
		assertThat(endedAfter).as("the call ends when the grace period runs out, not when the server answers")
			.isLessThan(2300L);
		assertThat(failure).isInstanceOf(NetworkException.class)
			.hasMessageContaining("was cut")
			.hasMessageContaining("shutdown-grace-period of 500 ms");
		server.verify(1, getRequestedFor(urlEqualTo("/slow")));
	}

	@Test
	void aCallThatFinishesWithinTheGracePeriodSucceeds() throws Exception {
		server.stubFor(get("/quick").willReturn(okJson("{\"done\":true}").withFixedDelay(300)));
		HttpClient client = HttpClient.create(HttpConfig.builder()
			.baseUrl("http://127.0.0.1:" + server.port())
			.shutdownGracePeriod(Duration.ofSeconds(3))
			.build());
		CompletableFuture<Object> call = client.get("/quick").retrieve().toFuture();
		server.awaitRequest(getRequestedFor(urlEqualTo("/quick")));
		client.closeGracefully().block(Duration.ofSeconds(10));
		assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo(java.util.Map.of("done", true));
	}

	@Test
	void aClientFirstUsedAfterItsContextClosedRefusesTheCallAsClosed() {
		HttpClient[] client = new HttpClient[1];
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
					WebClientAutoConfiguration.class))
			.withPropertyValues("pepperpy.network.http.clients.late.base-url=http://127.0.0.1:" + server.port())
			.run((context) -> client[0] = context.getBean("lateHttpClient", HttpClient.class));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> client[0].get("/after").retrieve().block(Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("HTTP client 'late' is closed"));
	}

}
