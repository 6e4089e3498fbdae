package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.LoopbackWireMock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.reactive.JettyClientHttpConnectorBuilder;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring Boot's global HTTP client settings ({@code spring.http.clients.*}) are the fallback under the client's
 * own: see {@link BootHttpClientSettings}.
 */
class BootHttpClientSettingsTests {

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock().withoutResetBetweenTests();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
				WebClientAutoConfiguration.class));

	@BeforeAll
	static void stub() {
		server.stubFor(get("/slow").willReturn(okJson("{}").withFixedDelay(3000)));
	}

	@Test
	void bootsConnectTimeoutAppliesWhenTheClientSetsNone() {
		this.contextRunner
			.withPropertyValues("spring.http.clients.connect-timeout=3s",
					"pepperpy.network.http.clients.own.connect-timeout=2s",
					"pepperpy.network.http.clients.inheriting.base-url=http://127.0.0.1")
			.run((context) -> {
				assertThat(context.getBean(HttpClient.class).config().timeouts().connect()).hasSeconds(3);
				assertThat(context.getBean("ownHttpClient", HttpClient.class).config().timeouts().connect()).hasSeconds(2);
				assertThat(context.getBean("inheritingHttpClient", HttpClient.class).config().timeouts().connect())
					.hasSeconds(3);
			});
	}

	@Test
	void bootsMappedSettingsBeanIsTheLevelUnderTheClients() {
		this.contextRunner
			.withBean(HttpClientSettings.class,
					() -> HttpClientSettings.defaults().withConnectTimeout(Duration.ofSeconds(4)))
			.withPropertyValues("spring.http.clients.connect-timeout=3s",
					"pepperpy.network.http.clients.own.connect-timeout=2s",
					"pepperpy.network.http.clients.inheriting.base-url=http://127.0.0.1")
			.run((context) -> {
				assertThat(context.getBean(HttpClient.class).config().timeouts().connect()).hasSeconds(4);
				assertThat(context.getBean("ownHttpClient", HttpClient.class).config().timeouts().connect()).hasSeconds(2);
				assertThat(context.getBean("inheritingHttpClient", HttpClient.class).config().timeouts().connect())
					.hasSeconds(4);
			});
	}

	@Test
	void bootsOwnAutoConfigurationMapsTheSettings() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class))
			.withPropertyValues("spring.http.clients.connect-timeout=3s", "pepperpy.network.http.connect-timeout=5s",
					"pepperpy.network.http.clients.own.connect-timeout=2s",
					"pepperpy.network.http.clients.inheriting.base-url=http://127.0.0.1")
			.run((context) -> {
				assertThat(context).hasSingleBean(HttpClientSettings.class);
				assertThat(context.getBean(HttpClient.class).config().timeouts().connect()).hasSeconds(5);
				assertThat(context.getBean("ownHttpClient", HttpClient.class).config().timeouts().connect()).hasSeconds(2);
				assertThat(context.getBean("inheritingHttpClient", HttpClient.class).config().timeouts().connect())
					.hasSeconds(5);
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

	@Test
	void bootsConnectorCustomizersShapeEachClientsConnector() {
		server.stubFor(get("/customized").withHeader("X-Connector", equalTo("customized")).willReturn(okJson("{}")));
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.base-url=http://127.0.0.1:" + server.port())
			.withBean("reactorCustomizer", ClientHttpConnectorBuilderCustomizer.class, ReactorHeaderCustomizer::new)
			.withBean("jettyCustomizer", ClientHttpConnectorBuilderCustomizer.class, JettyCustomizer::new)
			.run((context) -> assertThat(
					context.getBean(HttpClient.class).get("/customized").retrieve().block(Duration.ofSeconds(10)))
				.isEqualTo(java.util.Map.of()));
	}

	static class ReactorHeaderCustomizer implements ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> {

		@Override
		public ReactorClientHttpConnectorBuilder customize(ReactorClientHttpConnectorBuilder builder) {
			return builder.withHttpClientCustomizer(
					(client) -> client.headers((headers) -> headers.set("X-Connector", "customized")));
		}

	}

	static class JettyCustomizer implements ClientHttpConnectorBuilderCustomizer<JettyClientHttpConnectorBuilder> {

		@Override
		public JettyClientHttpConnectorBuilder customize(JettyClientHttpConnectorBuilder builder) {
			throw new IllegalStateException("a Jetty customizer must not be given a Reactor Netty connector");
		}

	}

}
