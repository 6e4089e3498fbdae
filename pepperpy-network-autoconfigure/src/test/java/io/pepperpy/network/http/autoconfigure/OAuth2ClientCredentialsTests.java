package io.pepperpy.network.http.autoconfigure;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.HttpClient;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code oauth2.registration-id} against a real Spring Authorization Server (client credentials, on a loopback
 * port in this JVM) and a resource server that verifies the JWTs with the authorization server's JWK set and
 * refuses the token ids a test marks revoked.
 */
@ExtendWith(OutputCaptureExtension.class)
class OAuth2ClientCredentialsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String SECRET = "s3cr3t-canary-client-secret";

	private static final AtomicInteger tokenRequests = new AtomicInteger();

	private static final Set<String> revoked = ConcurrentHashMap.newKeySet();

	private static final List<String> seenTokenIds = new CopyOnWriteArrayList<>();

	private static final List<String> seenTokens = new CopyOnWriteArrayList<>();

	private static ConfigurableApplicationContext authorizationServer;

	private static DisposableServer resourceServer;

	private static String issuer;

	private static volatile boolean everyTokenRevoked;

	@BeforeAll
	static void start() {
		SpringApplication application = new SpringApplication(AuthorizationServer.class);
		// Leave logging as it is: Boot's logging listener would reset Logback, and with it the appender the Netty
		// leak gate reads (NettyLeakDetectionExtension), blinding it for every later test of this JVM.
		application.setListeners(application.getListeners()
			.stream()
			.filter((listener) -> !(listener instanceof LoggingApplicationListener))
			.toList());
		String prefix = "--spring.security.oauth2.authorizationserver.client.";
		authorizationServer = application.run("--server.port=0", "--server.address=127.0.0.1",
				"--spring.autoconfigure.exclude=" + ReactiveOAuth2ClientAutoConfiguration.class.getName(),
				prefix + "partner.registration.client-id=partner",
				prefix + "partner.registration.client-secret={noop}" + SECRET,
				prefix + "partner.registration.client-authentication-methods=client_secret_basic",
				prefix + "partner.registration.authorization-grant-types=client_credentials",
				prefix + "partner.registration.scopes=orders.read",
				prefix + "short.registration.client-id=short",
				prefix + "short.registration.client-secret={noop}short-" + SECRET,
				prefix + "short.registration.client-authentication-methods=client_secret_basic",
				prefix + "short.registration.authorization-grant-types=client_credentials",
				prefix + "short.registration.scopes=orders.read", prefix + "short.token.access-token-time-to-live=2s");
		int port = authorizationServer.getEnvironment().getProperty("local.server.port", Integer.class);
		issuer = "http://127.0.0.1:" + port;
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(issuer + "/oauth2/jwks").build();
		resourceServer = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			String authorization = request.requestHeaders().get(HttpHeaders.AUTHORIZATION);
			if (authorization == null || !authorization.startsWith("Bearer ")) {
				return response.status(401).send();
			}
			String token = authorization.substring(7);
			return decoder.decode(token).flatMap((Jwt jwt) -> {
				seenTokens.add(token);
				seenTokenIds.add(jwt.getId());
				return (everyTokenRevoked || revoked.contains(jwt.getId())) ? response.status(401).send().then()
						: response.status(200).sendString(Mono.just("orders")).then();
			}).onErrorResume((ex) -> response.status(401).send().then());
		}).bindNow();
	}

	@AfterAll
	static void stop() {
		resourceServer.disposeNow();
		authorizationServer.close();
	}

	@BeforeEach
	void reset() {
		tokenRequests.set(0);
		seenTokenIds.clear();
		seenTokens.clear();
		revoked.clear();
		everyTokenRevoked = false;
	}

	private ApplicationContextRunner client(String clientId, String secret, String... more) {
		String registration = "spring.security.oauth2.client.registration.partner.";
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OAuth2ClientAutoConfiguration.class,
					ReactiveOAuth2ClientAutoConfiguration.class, PepperpyHttpClientAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues(registration + "provider=idp", registration + "client-id=" + clientId,
					registration + "client-secret=" + secret,
					registration + "authorization-grant-type=client_credentials", registration + "scope=orders.read",
					"spring.security.oauth2.client.provider.idp.token-uri=" + issuer + "/oauth2/token",
					"pepperpy.network.http.clients.partner.base-url=http://127.0.0.1:" + resourceServer.port(),
					"pepperpy.network.http.clients.partner.retries=0",
					"pepperpy.network.http.clients.partner.oauth2.registration-id=partner")
			.withPropertyValues(more);
	}

	private static String call(HttpClient client) {
		return client.get("/orders").retrieve(String.class).block(WAIT);
	}

	@Test
	void tokenIsFetchedOnceAndReused() {
		client("partner", SECRET).run((context) -> {
			HttpClient client = context.getBean("partnerHttpClient", HttpClient.class);
			assertThat(call(client)).isEqualTo("orders");
			assertThat(call(client)).isEqualTo("orders");
			assertThat(call(client)).isEqualTo("orders");
			assertThat(tokenRequests).hasValue(1);
			assertThat(Set.copyOf(seenTokenIds)).hasSize(1);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.get("pepperpy.http.client.oauth2.token.requests").tag("outcome", "SUCCESS").counter()
				.count()).isEqualTo(1);
			assertThat(meters.get("pepperpy.http.client.oauth2.token.request").timer().count()).isEqualTo(1);
		});
	}

	@Test
	void shortLivedTokenIsRefreshedBeforeItExpires() {
		client("short", "short-" + SECRET, "pepperpy.network.http.clients.partner.oauth2.clock-skew=1s").run((context) -> {
			HttpClient client = context.getBean("partnerHttpClient", HttpClient.class);
			assertThat(call(client)).isEqualTo("orders");
			assertThat(tokenRequests).hasValue(1);
			// 2 s lifetime, 1 s skew: 1.2 s later the token is within the skew of its expiry, so a fresh one is
			// fetched before the old one expires.
			Mono.delay(Duration.ofMillis(1200)).block(WAIT);
			assertThat(call(client)).isEqualTo("orders");
			assertThat(tokenRequests).hasValue(2);
			assertThat(Set.copyOf(seenTokenIds)).hasSize(2);
		});
	}

	@Test
	void revokedTokenGives401ThenOneRefreshThenSuccess() {
		client("partner", SECRET).run((context) -> {
			HttpClient client = context.getBean("partnerHttpClient", HttpClient.class);
			assertThat(call(client)).isEqualTo("orders");
			revoked.add(seenTokenIds.get(0));
			// A POST too: a 401 means the request was not processed, so it is sent once more whatever the method.
			assertThat(client.post("/orders").json(Map.of("id", 1)).retrieve(String.class).block(WAIT))
				.isEqualTo("orders");
			assertThat(tokenRequests).hasValue(2);
			assertThat(seenTokenIds).hasSize(3);
			assertThat(seenTokenIds.get(1)).isEqualTo(seenTokenIds.get(0));
			assertThat(seenTokenIds.get(2)).isNotEqualTo(seenTokenIds.get(0));
		});
	}

	@Test
	void second401FailsAsStatus() {
		client("partner", SECRET).run((context) -> {
			HttpClient client = context.getBean("partnerHttpClient", HttpClient.class);
			assertThat(call(client)).isEqualTo("orders");
			// The token, and every one the authorization server issues from now on, is refused.
			everyTokenRevoked = true;
			NetworkException failure = catchThrowableOfType(NetworkException.class, () -> call(client));
			assertThat(failure.kind()).isEqualTo(NetworkException.Kind.STATUS);
			assertThat(failure.status()).isEqualTo(401);
			assertThat(tokenRequests).hasValue(2);
		});
	}


	@Test
	void publisherBodyIsNotSentTwice() {
		client("partner", SECRET).run((context) -> {
			HttpClient client = context.getBean("partnerHttpClient", HttpClient.class);
			assertThat(call(client)).isEqualTo("orders");
			revoked.add(seenTokenIds.get(0));
			InputStreamResource stream = new InputStreamResource(new ByteArrayInputStream(new byte[10])) {

				@Override
				public String getFilename() {
					return "data.bin";
				}

				@Override
				public long contentLength() {
					return 10;
				}

			};
			NetworkException failure = catchThrowableOfType(NetworkException.class,
					() -> client.post("/orders").multipart((parts) -> parts.file("f", stream)).retrieve(String.class)
						.block(WAIT));
			assertThat(failure.kind()).isEqualTo(NetworkException.Kind.STATUS);
			assertThat(failure.status()).isEqualTo(401);
			assertThat(failure.getMessage()).contains("one-shot");
			assertThat(tokenRequests).hasValue(1);
		});
	}

	@Test
	void wrongSecretFailsAuthenticationWithInvalidClient(CapturedOutput output) {
		// Retries allowed: a refused token request is still asked once per call, never in a loop.
		client("partner", "wrong-" + SECRET, "pepperpy.network.http.clients.partner.retries=3").run((context) -> {
			HttpClient client = context.getBean("partnerHttpClient", HttpClient.class);
			NetworkException failure = catchThrowableOfType(NetworkException.class, () -> call(client));
			assertThat(failure.kind()).isEqualTo(NetworkException.Kind.AUTHENTICATION);
			assertThat(failure.getMessage()).contains("'partner'").contains("invalid_client");
			assertThat(tokenRequests).hasValue(1);
			assertThat(seenTokens).isEmpty();
			assertThat(context.getBean(MeterRegistry.class)
				.get("pepperpy.http.client.oauth2.token.requests")
				.tag("outcome", "FAILURE")
				.counter()
				.count()).isEqualTo(1);
			assertThat(output).doesNotContain(SECRET);
		});
	}

	@Test
	void hundredConcurrentFirstCallsMakeOneTokenRequest() {
		client("partner", SECRET, "pepperpy.network.http.clients.partner.pool.max-connections=200").run((context) -> {
			HttpClient client = context.getBean("partnerHttpClient", HttpClient.class);
			List<String> bodies = Flux.range(0, 100)
				.flatMap((i) -> client.get("/orders").retrieve(String.class), 100)
				.collectList()
				.block(WAIT);
			assertThat(bodies).hasSize(100).containsOnly("orders");
			assertThat(tokenRequests).hasValue(1);
		});
	}

	@Test
	void credentialsNeverAppearInTheOutput(CapturedOutput output) {
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		logging.setLogLevel("io.pepperpy.network", LogLevel.TRACE);
		logging.setLogLevel("org.springframework.security", LogLevel.TRACE);
		try {
			client("partner", SECRET)
				.withConfiguration(AutoConfigurations.of(PepperpyHttpClientActuatorAutoConfiguration.class))
				.withPropertyValues("management.endpoints.web.exposure.include=httpclients")
				.run((context) -> {
					HttpClient client = context.getBean("partnerHttpClient", HttpClient.class);
					assertThat(call(client)).isEqualTo("orders");
					revoked.add(seenTokenIds.get(0));
					assertThat(call(client)).isEqualTo("orders");
					NetworkException failure = catchThrowableOfType(NetworkException.class,
							() -> client.get("/orders").retrieve(String.class).doOnSubscribe((s) -> everyTokenRevoked = true)
								.block(WAIT));
					assertThat(failure.getMessage()).doesNotContain(SECRET);
					assertThat(context.getBean("partnerHttpClient").toString()).doesNotContain(SECRET);
					String endpoint = JsonMapper.builder().build()
						.writeValueAsString(context.getBean(HttpClientsEndpoint.class).clients());
					assertThat(endpoint).contains("partner").doesNotContain(SECRET);
					for (String token : seenTokens) {
						assertThat(endpoint).doesNotContain(token);
						assertThat(failure.getMessage()).doesNotContain(token);
					}
				});
		}
		finally {
			logging.setLogLevel("io.pepperpy.network", null);
			logging.setLogLevel("org.springframework.security", null);
		}
		assertThat(output).contains("dropping the access token");
		assertThat(seenTokens).isNotEmpty();
		assertThat(output).doesNotContain(SECRET);
		for (String token : seenTokens) {
			assertThat(output).doesNotContain(token);
		}
	}

	interface OrdersApi {

		@GetExchange("/orders")
		Mono<String> orders();

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "partner", types = OrdersApi.class, clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
	static class PartnerGroup {

	}

	@Test
	void serviceGroupsAndHttpInterfacesGetTheTokenAndItsRefresh() {
		client("partner", SECRET)
			.withConfiguration(AutoConfigurations.of(PepperpyHttpServiceGroupsAutoConfiguration.class,
					WebClientAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withUserConfiguration(PartnerGroup.class)
			.run((context) -> {
				OrdersApi group = context.getBean(OrdersApi.class);
				OrdersApi service = context.getBean("partnerHttpClient", HttpClient.class).service(OrdersApi.class);
				assertThat(group.orders().block(WAIT)).isEqualTo("orders");
				assertThat(service.orders().block(WAIT)).isEqualTo("orders");
				revoked.add(seenTokenIds.get(0));
				assertThat(group.orders().block(WAIT)).isEqualTo("orders");
				assertThat(service.orders().block(WAIT)).isEqualTo("orders");
				assertThat(tokenRequests).hasValue(2);
				assertThat(seenTokenIds).hasSize(5);
			});
	}

	@Test
	void registrationIdWithoutSpringSecurityFailsStartupNamingTheProperty() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.security.oauth2.client"))
			.withPropertyValues("pepperpy.network.http.clients.partner.base-url=http://127.0.0.1:1",
					"pepperpy.network.http.clients.partner.oauth2.registration-id=partner")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("pepperpy.network.http.clients.partner.oauth2.registration-id")
				.hasMessageContaining("spring-boot-starter-oauth2-client"));
	}

	@Test
	void unknownRegistrationFailsStartupNamingTheProperty() {
		client("partner", SECRET, "pepperpy.network.http.clients.partner.oauth2.registration-id=nope")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("pepperpy.network.http.clients.partner.oauth2.registration-id is 'nope'"));
	}

	/**
	 * The authorization server: Boot's auto-configuration of Spring Authorization Server, with a filter counting
	 * the token requests.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class AuthorizationServer {

		@Bean
		FilterRegistrationBean<Filter> tokenRequestCounter() {
			Filter counter = (request, response, chain) -> {
				tokenRequests.incrementAndGet();
				chain.doFilter(request, response);
			};
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(counter);
			registration.addUrlPatterns("/oauth2/token");
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

}
