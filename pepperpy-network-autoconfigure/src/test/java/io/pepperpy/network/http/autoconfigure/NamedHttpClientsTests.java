package io.pepperpy.network.http.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.InterceptedRequest;
import io.pepperpy.network.http.LoopbackWireMock;
import io.pepperpy.network.http.RequestInterceptor;
import io.pepperpy.network.tcp.TcpTlsTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Several named clients side by side: inheritance, per-client timeouts, TLS, SSL bundles, interceptors, limiter,
 * pool and meters, declarative interfaces and graceful shutdown.
 */
class NamedHttpClientsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final LoopbackWireMock server = LoopbackWireMock.withHttps();

	// Left as is: its key store is made in the @TempDir of @BeforeAll, after the extension would have started it.
	private static WireMockServer mutualTls;

	private static Path keyStore;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, JacksonAutoConfiguration.class, SslAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	@BeforeAll
	static void start(@TempDir Path directory) throws Exception {
		keyStore = TcpTlsTestSupport.generateKeyStore(directory);
		mutualTls = new WireMockServer(wireMockConfig().port(0)
			.httpDisabled(true)
			.dynamicHttpsPort()
			.bindAddress("127.0.0.1")
			.keystorePath(keyStore.toString())
			.keystorePassword("changeit")
			.keyManagerPassword("changeit")
			.keystoreType("PKCS12")
			.needClientAuth(true)
			.trustStorePath(keyStore.toString())
			.trustStorePassword("changeit")
			.trustStoreType("PKCS12"));
		mutualTls.start();
	}

	@AfterAll
	static void stop() {
		mutualTls.stop();
	}

	@BeforeEach
	void reset() {
		server.stubFor(any(anyUrl()).willReturn(okJson("{}")));
	}

	private static String http() {
		return "http://127.0.0.1:" + server.port();
	}

	@Test
	void namedClientsInheritTheDefaultsAndOverrideThem() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.headers.User-Agent=PepperPy/1.0",
					"pepperpy.network.http.retries=2", "pepperpy.network.http.clients.users.base-url=" + http() + "/users-api",
					"pepperpy.network.http.clients.users.headers.Authorization=Bearer users",
					"pepperpy.network.http.clients.billing.base-url=" + http() + "/billing-api",
					"pepperpy.network.http.clients.billing.retries=0",
					"pepperpy.network.http.clients.billing.max-rate-limit=2")
			.withUserConfiguration(InjectionConfiguration.class)
			.run((context) -> {
				assertThat(context).hasBean("usersHttpClient").hasBean("billingHttpClient").hasBean("pepperpyHttpClient");
				Injected injected = context.getBean(Injected.class);
				assertThat(injected.users.config().name()).isEqualTo("users");
				assertThat(injected.users.config().retry().settings().maxRetries()).isEqualTo(2);
				assertThat(injected.billing.config().retry().settings().maxRetries()).isZero();
				assertThat(injected.billing.config().headers()).containsEntry("User-Agent", "PepperPy/1.0");
				assertThat(injected.primary.config().name()).isEqualTo("default");
				injected.users.get("/me").retrieve().block(WAIT);
				server.verify(getRequestedFor(urlEqualTo("/users-api/me"))
					.withHeader("Authorization", equalTo("Bearer users"))
					.withHeader("User-Agent", equalTo("PepperPy/1.0")));
				// The billing client's limiter (2/s) never slows the users client.
				injected.billing.get("/a").retrieve().block(WAIT);
				long start = System.nanoTime();
				for (int i = 0; i < 5; i++) {
					injected.users.get("/fast").retrieve().block(WAIT);
				}
				assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
				SimpleMeterRegistry meters = context.getBean(SimpleMeterRegistry.class);
				assertThat(meters.get("pepperpy.http.client.calls").tag("client", "users").timers().stream()
					.mapToLong(io.micrometer.core.instrument.Timer::count)
					.sum()).isEqualTo(6);
				assertThat(meters.get("pepperpy.http.client.calls").tag("client", "billing").timer().count()).isEqualTo(1);
				assertThat(meters.find("pepperpy.http.client.connections").tag("client", "billing").gauges()).hasSize(3);
				assertThat(injected.users.state().idleConnections() + injected.users.state().activeConnections())
					.isPositive();
			});
	}

	@Test
	void timeoutsAndTlsArePerClient() {
		server.stubFor(get("/slow").willReturn(okJson("{}").withFixedDelay(1000)));
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.retries=0",
					"pepperpy.network.http.clients.impatient.base-url=" + http(),
					"pepperpy.network.http.clients.impatient.timeout=200ms",
					"pepperpy.network.http.clients.patient.base-url=" + http(),
					"pepperpy.network.http.clients.patient.timeout=5",
					"pepperpy.network.http.clients.strict.base-url=https://localhost:" + server.httpsPort(),
					"pepperpy.network.http.clients.lenient.base-url=https://localhost:" + server.httpsPort(),
					"pepperpy.network.http.clients.lenient.verify-ssl=false")
			.run((context) -> {
				HttpClient impatient = context.getBean("impatientHttpClient", HttpClient.class);
				HttpClient patient = context.getBean("patientHttpClient", HttpClient.class);
				assertThatExceptionOfType(NetworkException.class)
					.isThrownBy(() -> impatient.get("/slow").retrieve().block(WAIT))
					.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TIMEOUT));
				assertThat(patient.get("/slow").retrieve().block(WAIT)).isEqualTo(Map.of());
				assertThatExceptionOfType(NetworkException.class)
					.isThrownBy(() -> context.getBean("strictHttpClient", HttpClient.class).get("/x").retrieve().block(WAIT))
					.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TLS));
				assertThat(context.getBean("lenientHttpClient", HttpClient.class).get("/x").retrieve().block(WAIT))
					.isEqualTo(Map.of());
			});
	}

	@Test
	void sslBundleGivesMutualTls() {
		mutualTls.stubFor(get("/secure").willReturn(okJson("{\"mtls\":true}")));
		String base = "https://localhost:" + mutualTls.httpsPort();
		this.contextRunner
			.withPropertyValues("spring.ssl.bundle.jks.partner.keystore.location=file:" + keyStore,
					"spring.ssl.bundle.jks.partner.keystore.password=changeit",
					"spring.ssl.bundle.jks.partner.keystore.type=PKCS12",
					"spring.ssl.bundle.jks.partner.truststore.location=file:" + keyStore,
					"spring.ssl.bundle.jks.partner.truststore.password=changeit",
					"spring.ssl.bundle.jks.partner.truststore.type=PKCS12", "pepperpy.network.http.retries=0",
					"pepperpy.network.http.clients.partner.base-url=" + base,
					"pepperpy.network.http.clients.partner.ssl-bundle=partner",
					"pepperpy.network.http.clients.anonymous.base-url=" + base)
			.run((context) -> {
				assertThat(context.getBean("partnerHttpClient", HttpClient.class).get("/secure").retrieve().block(WAIT))
					.isEqualTo(Map.of("mtls", true));
				assertThatExceptionOfType(NetworkException.class).isThrownBy(
						() -> context.getBean("anonymousHttpClient", HttpClient.class).get("/secure").retrieve().block(WAIT));
			});
	}

	@Test
	void bootsSslBundleAppliesToAClientThatNamesNone() {
		mutualTls.stubFor(get("/secure").willReturn(okJson("{\"mtls\":true}")));
		String base = "https://localhost:" + mutualTls.httpsPort();
		this.contextRunner
			.withPropertyValues("spring.ssl.bundle.jks.partner.keystore.location=file:" + keyStore,
					"spring.ssl.bundle.jks.partner.keystore.password=changeit",
					"spring.ssl.bundle.jks.partner.keystore.type=PKCS12",
					"spring.ssl.bundle.jks.partner.truststore.location=file:" + keyStore,
					"spring.ssl.bundle.jks.partner.truststore.password=changeit",
					"spring.ssl.bundle.jks.partner.truststore.type=PKCS12", "pepperpy.network.http.retries=0",
					"spring.http.clients.ssl.bundle=partner", "pepperpy.network.http.clients.partner.base-url=" + base)
			.run((context) -> assertThat(
					context.getBean("partnerHttpClient", HttpClient.class).get("/secure").retrieve().block(WAIT))
				.isEqualTo(Map.of("mtls", true)));
	}

	@Test
	void interceptorsAreGlobalUnlessAClientListsThem() {
		this.contextRunner.withUserConfiguration(InterceptorsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.a.base-url=" + http() + "/a",
					"pepperpy.network.http.clients.a.interceptors=aAuth",
					"pepperpy.network.http.clients.b.base-url=" + http() + "/b")
			.run((context) -> {
				context.getBean("aHttpClient", HttpClient.class).get("/x").retrieve().block(WAIT);
				context.getBean("bHttpClient", HttpClient.class).get("/x").retrieve().block(WAIT);
				server.verify(getRequestedFor(urlEqualTo("/a/x")).withHeader("X-Global", equalTo("yes"))
					.withHeader("X-A", equalTo("yes")));
				server.verify(getRequestedFor(urlEqualTo("/b/x")).withHeader("X-Global", equalTo("yes"))
					.withHeader("X-A", absent()));
			});
	}

	@Test
	void invalidNamedClientFailsStartupNamingThePropertyAndValue() {
		this.contextRunner.withPropertyValues("pepperpy.network.http.clients.broken.retries=-4")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("pepperpy.network.http.clients.broken.retries")
				.hasMessageContaining("-4"));
		this.contextRunner.withPropertyValues("pepperpy.network.http.clients.x.interceptors=missing")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("no RequestInterceptor bean of that name"));
	}

	@Test
	void httpExchangeInterfacesAreBackedByANamedClient() {
		server.stubFor(get("/api/users/42").willReturn(okJson("{\"id\":42,\"name\":\"Ada\"}")));
		server.stubFor(post("/api/users").willReturn(okJson("{\"id\":43,\"name\":\"John Doe\"}")));
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + http() + "/api",
					"pepperpy.network.http.clients.users.headers.Authorization=Bearer api-key")
			.withUserConfiguration(ApiConfiguration.class)
			.run((context) -> {
				UsersApi api = context.getBean(UsersApi.class);
				assertThat(api.getUser(42)).isEqualTo(new User(42, "Ada"));
				assertThat(api.createUser(Map.of("name", "John Doe")).block(WAIT)).isEqualTo(new User(43, "John Doe"));
				server.verify(getRequestedFor(urlEqualTo("/api/users/42")).withHeader("Authorization",
						equalTo("Bearer api-key")));
				server.verify(postRequestedFor(urlEqualTo("/api/users"))
					.withRequestBody(equalToJson("{\"name\":\"John Doe\"}")));
				assertThat(context.getBean(SimpleMeterRegistry.class)
					.get("pepperpy.http.client.calls")
					.tags("client", "users", "uri", "/users/{id}")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void closingTheContextDrainsCallsInFlightThenRefusesNewOnes() {
		server.stubFor(get("/slow").willReturn(okJson("{\"done\":true}").withFixedDelay(700)));
		List<Object> results = new java.util.concurrent.CopyOnWriteArrayList<>();
		HttpClient[] client = new HttpClient[1];
		this.contextRunner.withPropertyValues("pepperpy.network.http.base-url=" + http(),
				"pepperpy.network.http.shutdown-grace-period=5")
			.run((context) -> {
				client[0] = context.getBean(HttpClient.class);
				client[0].get("/slow").retrieve().subscribe(results::add, results::add);
				server.awaitRequest(getRequestedFor(urlEqualTo("/slow")));
			});
		assertThat(results).containsExactly(Map.of("done", true));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> client[0].get("/after").retrieve().block(WAIT))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("is closed"));
	}

	interface UsersApi {

		@GetExchange("/users/{id}")
		User getUser(@PathVariable long id);

		@PostExchange("/users")
		Mono<User> createUser(@RequestBody Map<String, Object> user);

	}

	record User(long id, String name) {
	}

	@Configuration(proxyBeanMethods = false)
	static class ApiConfiguration {

		@Bean
		UsersApi usersApi(@Qualifier("users") HttpClient users) {
			return users.service(UsersApi.class);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InjectionConfiguration {

		@Bean
		Injected injected(@Qualifier("users") HttpClient users, @Qualifier("billing") HttpClient billing,
				HttpClient primary) {
			return new Injected(users, billing, primary);
		}

	}

	record Injected(HttpClient users, HttpClient billing, HttpClient primary) {
	}

	@Configuration(proxyBeanMethods = false)
	static class InterceptorsConfiguration {

		@Bean
		RequestInterceptor global() {
			return new HeaderInterceptor("X-Global");
		}

		@Bean
		RequestInterceptor aAuth() {
			return new HeaderInterceptor("X-A");
		}

	}

	@Component
	static class HeaderInterceptor implements RequestInterceptor {

		private final String header;

		HeaderInterceptor(String header) {
			this.header = header;
		}

		@Override
		public Mono<Void> preRequest(InterceptedRequest request) {
			request.headers().set(this.header, "yes");
			return Mono.empty();
		}

	}

}
