package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring Boot's global HTTP client settings ({@code spring.http.clients.*}) are the fallback under the client's
 * own: see {@link BootHttpClientSettings}.
 */
class BootHttpClientSettingsTests {

	private static WireMockServer server;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
				WebClientAutoConfiguration.class));

	@BeforeAll
	static void start() {
		server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		server.start();
		server.stubFor(get("/slow").willReturn(okJson("{}").withFixedDelay(3000)));
	}

	@AfterAll
	static void stop() {
		server.stop();
	}

	@Test
	void bootsConnectTimeoutAppliesWhenTheClientSetsNone() {
		this.contextRunner
			.withPropertyValues("spring.http.clients.connect-timeout=3s",
					"pepperpy.network.http.clients.own.connect-timeout=2s",
					"pepperpy.network.http.clients.inheriting.base-url=http://127.0.0.1")
			.run((context) -> {
				assertThat(context.getBean(HttpClient.class).config().connectTimeout()).hasSeconds(3);
				assertThat(context.getBean("ownHttpClient", HttpClient.class).config().connectTimeout()).hasSeconds(2);
				assertThat(context.getBean("inheritingHttpClient", HttpClient.class).config().connectTimeout())
					.hasSeconds(3);
			});
	}

	@Test
	void bootsReadTimeoutBoundsEachWaitForData() {
		this.contextRunner
			.withPropertyValues("spring.http.clients.read-timeout=300ms",
					"pepperpy.network.http.base-url=http://127.0.0.1:" + server.port(),
					"pepperpy.network.http.retries=0", "pepperpy.network.http.timeout=20s")
			.run((context) -> {
				long start = System.nanoTime();
				assertThatExceptionOfType(NetworkException.class)
					.isThrownBy(() -> context.getBean(HttpClient.class).get("/slow").retrieve()
						.block(Duration.ofSeconds(20)))
					.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TIMEOUT));
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
			});
	}

}
