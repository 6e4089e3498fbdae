package io.pepperpy.network.http;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.autoconfigure.PepperpyHttpClientAutoConfiguration;
import io.pepperpy.network.tcp.TcpTlsTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ClientHttpConnectorBuilderCustomizer;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.http.client.reactive.ReactorClientHttpConnectorBuilder;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client's connector settings (TLS without verification, an SSL bundle's trust store, HTTP/2, the pool's bound,
 * the proxy and the shutdown cut) hold wherever the client runs: in a plain application, in a WebFlux application
 * on a Reactor Netty server (where Boot registers its {@code ReactorResourceFactory} connector customizer), and in
 * a Spring MVC application on Tomcat; for the default client and a named one alike.
 */
class ApplicationKindsTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String NAMED = "partner";

	/**
	 * Loops of the test's own servers: a WebFlux context disposes Reactor Netty's global resources when it closes.
	 */
	private static LoopResources serverLoops;

	/** HTTPS with a self-signed certificate, offering h2 and http/1.1, answering with the protocol it saw. */
	private static DisposableServer https;

	/**
	 * Answers {@code /hold} after 300 ms, counting the requests it holds at once, and {@code /header} with the
	 * request's {@code X-Connector} header.
	 */
	private static DisposableServer holding;

	private static final AtomicInteger held = new AtomicInteger();

	private static final AtomicInteger mostHeld = new AtomicInteger();

	private static Path keyStore;

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	@BeforeAll
	static void start(@TempDir Path directory) throws Exception {
		keyStore = TcpTlsTestSupport.generateKeyStore(directory);
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (var in = java.nio.file.Files.newInputStream(keyStore)) {
			store.load(in, "changeit".toCharArray());
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(store, "changeit".toCharArray());
		serverLoops = LoopResources.create("kinds-test-server", 2, true);
		https = HttpServer.create()
			.runOn(serverLoops)
			.host("127.0.0.1")
			.port(0)
			.protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
			.secure((spec) -> spec.sslContext(Http2SslContextSpec.forServer(keys)))
			.handle((request, response) -> response.sendString(Mono.just(request.protocol())))
			.bindNow();
		holding = HttpServer.create()
			.runOn(serverLoops)
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/hold", (request, response) -> {
				mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
				// Let go before answering: the client's next request on this connection comes after the answer.
				return response.sendString(Mono.delay(Duration.ofMillis(300)).map((tick) -> {
					held.decrementAndGet();
					return "held";
				}));
			})
				.get("/header", (request, response) -> response
					.sendString(Mono.just(String.valueOf(request.requestHeaders().get("X-Connector"))))))
			.bindNow();
	}

	@AfterAll
	static void stop() {
		https.disposeNow();
		holding.disposeNow();
		serverLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(WAIT);
	}

	static List<Arguments> applications() {
		List<Arguments> applications = new ArrayList<>();
		for (Kind kind : Kind.values()) {
			applications.add(Arguments.of(kind, HttpConfig.DEFAULT_NAME));
			applications.add(Arguments.of(kind, NAMED));
		}
		return applications;
	}

	@ParameterizedTest(name = "{0}, {1} client")
	@MethodSource("applications")
	void tlsWithoutVerificationReachesASelfSignedServer(Kind kind, String client) {
		kind.run(client, List.of("verify-ssl=false", "response-format=text"), (context) -> {
			HttpClient http = client(context, client);
			assertThat(http.get("https://127.0.0.1:" + https.port() + "/").retrieve(String.class).block(WAIT))
				.isEqualTo("HTTP/1.1");
		});
	}

	@ParameterizedTest(name = "{0}, {1} client")
	@MethodSource("applications")
	void anSslBundlesTrustStoreAndHttp2AreUsed(Kind kind, String client) {
		kind.run(client, List.of("ssl-bundle=private-ca", "http2=true", "response-format=text"), (context) -> {
			HttpClient http = client(context, client);
			assertThat(http.get("https://127.0.0.1:" + https.port() + "/").retrieve(String.class).block(WAIT))
				.isEqualTo("HTTP/2.0");
		});
	}

	@ParameterizedTest(name = "{0}, {1} client")
	@MethodSource("applications")
	void thePoolBoundsTheRequestsInFlight(Kind kind, String client) {
		kind.run(client, List.of("pool.max-connections=2", "response-format=text"), (context) -> {
			HttpClient http = client(context, client);
			held.set(0);
			mostHeld.set(0);
			List<String> answers = Flux.range(0, 6)
				.flatMap((i) -> http.get("http://127.0.0.1:" + holding.port() + "/hold").retrieve(String.class), 6)
				.collectList()
				.block(WAIT);
			assertThat(answers).hasSize(6).containsOnly("held");
			assertThat(mostHeld.get()).as("requests the server held at once").isEqualTo(2);
		});
	}

	@ParameterizedTest(name = "{0}, {1} client")
	@MethodSource("applications")
	void theApplicationsConnectorCustomizerAppliesWithoutReplacingThePool(Kind kind, String client) {
		kind.withUserConfiguration(OwnConnectorCustomizer.class)
			.run(client, List.of("pool.max-connections=2", "response-format=text"), (context) -> {
				HttpClient http = client(context, client);
				assertThat(http.get("http://127.0.0.1:" + holding.port() + "/header").retrieve(String.class).block(WAIT))
					.isEqualTo("customized");
				held.set(0);
				mostHeld.set(0);
				Flux.range(0, 6)
					.flatMap((i) -> http.get("http://127.0.0.1:" + holding.port() + "/hold").retrieve(String.class), 6)
					.blockLast(WAIT);
				assertThat(mostHeld.get()).as("requests the server held at once").isEqualTo(2);
			});
	}

	@ParameterizedTest(name = "{0}, {1} client")
	@MethodSource("applications")
	void theProxyIsUsed(Kind kind, String client) throws Exception {
		server.stubFor(get("/p").willReturn(okJson("{}")));
		try (TunnelProxy proxy = new TunnelProxy()) {
			kind.run(client, List.of("proxy=http://127.0.0.1:" + proxy.port()), (context) -> {
				client(context, client).get(server.http() + "/p").retrieve().block(WAIT);
				assertThat(proxy.connects()).hasSize(1);
			});
		}
	}

	@ParameterizedTest(name = "{0}, {1} client")
	@MethodSource("applications")
	void aCallStillRunningWhenTheGracePeriodRunsOutIsCut(Kind kind, String client) {
		server.stubFor(get("/slow").willReturn(okJson("{}").withFixedDelay(6000)));
		kind.run(client, List.of("shutdown-grace-period=500ms", "timeout=15s", "retries=0"), (context) -> {
			CompletableFuture<Object> call = client(context, client).get(server.http() + "/slow")
				.retrieve()
				.toFuture();
			server.awaitRequest(getRequestedFor(urlEqualTo("/slow")));
			// Measured from the stop: the bound is the one from the call's start less the 200 ms the test used to
			// sleep before stopping.
			long start = System.nanoTime();
			// What closing the context does first, before Boot disposes Reactor Netty's global resources (which
			// would end the call whether the client cut it or not).
			context.getBean("pepperpyHttpClientsLifecycle", SmartLifecycle.class).stop(() -> {
			});
			Throwable failure = call.handle((value, ex) -> ex).get(15, TimeUnit.SECONDS);
			long endedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			assertThat(endedAfter).as("the call ends when the grace period runs out, not when the server answers")
				.isLessThan(2800L);
			assertThat(failure).isInstanceOf(NetworkException.class).hasMessageContaining("was cut");
			server.verify(1, getRequestedFor(urlEqualTo("/slow")));
		});
	}

	private static HttpClient client(ConfigurableApplicationContext context, String client) {
		return HttpConfig.DEFAULT_NAME.equals(client) ? context.getBean(HttpClient.class)
				: context.getBean(client + "HttpClient", HttpClient.class);
	}

	/**
	 * The kind of application the client runs in, with Boot's auto-configurations for it and the same HTTP client
	 * ones in each.
	 */
	enum Kind {

		PLAIN {
			@Override
			void run(String[] properties, Class<?>[] configurations, Consumer<ConfigurableApplicationContext> test) {
				new ApplicationContextRunner().withConfiguration(CLIENTS)
					.withUserConfiguration(configurations)
					.withPropertyValues(properties)
					.run((context) -> test.accept(context));
			}
		},

		WEBFLUX_ON_NETTY {
			@Override
			void run(String[] properties, Class<?>[] configurations, Consumer<ConfigurableApplicationContext> test) {
				new ReactiveWebApplicationContextRunner(AnnotationConfigReactiveWebServerApplicationContext::new)
					.withConfiguration(CLIENTS)
					.withConfiguration(AutoConfigurations.of(NettyReactiveWebServerAutoConfiguration.class,
							HttpHandlerAutoConfiguration.class, WebFluxAutoConfiguration.class))
					.withUserConfiguration(configurations)
					.withPropertyValues(properties)
					.run((context) -> {
						assertThat(webServer(context)).isInstanceOf(NettyWebServer.class);
						assertThat(context).hasBean("reactorResourceFactoryClientHttpConnectorBuilderCustomizer");
						test.accept(context);
					});
			}
		},

		MVC_ON_TOMCAT {
			@Override
			void run(String[] properties, Class<?>[] configurations, Consumer<ConfigurableApplicationContext> test) {
				new WebApplicationContextRunner(AnnotationConfigServletWebServerApplicationContext::new)
					.withConfiguration(CLIENTS)
					.withConfiguration(AutoConfigurations.of(TomcatServletWebServerAutoConfiguration.class,
							DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class))
					.withUserConfiguration(configurations)
					.withPropertyValues(properties)
					.run((context) -> {
						assertThat(webServer(context)).isInstanceOf(TomcatWebServer.class);
						test.accept(context);
					});
			}
		};

		private static final AutoConfigurations CLIENTS = AutoConfigurations.of(
				PepperpyHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
				HttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
				SslAutoConfiguration.class);

		/**
		 * Return this kind of application with the application's own configuration too.
		 */
		Application withUserConfiguration(Class<?> configuration) {
			return (client, settings, test) -> run(client, settings, test, configuration);
		}

		/**
		 * Run a test in an application of this kind whose client (the default or a named one) has these settings.
		 */
		void run(String client, List<String> settings, ThrowingTest test) {
			run(client, settings, test, new Class<?>[0]);
		}

		private void run(String client, List<String> settings, ThrowingTest test, Class<?>... configurations) {
			String prefix = HttpConfig.DEFAULT_NAME.equals(client) ? "pepperpy.network.http."
					: "pepperpy.network.http.clients." + client + ".";
			List<String> properties = new ArrayList<>();
			settings.forEach((setting) -> properties.add(prefix + setting));
			properties.add("server.port=0");
			// The WebFlux context disposes Reactor Netty's global resources when it closes: at once, in tests.
			properties.add("spring.reactor.netty.shutdown-quiet-period=0s");
			properties.add("spring.ssl.bundle.jks.private-ca.truststore.location=file:" + keyStore);
			properties.add("spring.ssl.bundle.jks.private-ca.truststore.password=changeit");
			properties.add("spring.ssl.bundle.jks.private-ca.truststore.type=PKCS12");
			run(properties.toArray(String[]::new), configurations, (context) -> {
				try {
					test.run(context);
				}
				catch (RuntimeException | Error ex) {
					throw ex;
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
		}

		abstract void run(String[] properties, Class<?>[] configurations,
				Consumer<ConfigurableApplicationContext> test);

		private static WebServer webServer(ConfigurableApplicationContext context) {
			WebServer server = ((WebServerApplicationContext) ((ApplicationContextAssertProvider<?>) context)
				.getSourceApplicationContext()).getWebServer();
			assertThat(server.getPort()).isPositive();
			return server;
		}

	}

	/**
	 * An application kind with the application's own configuration.
	 */
	@FunctionalInterface
	interface Application {

		void run(String client, List<String> settings, ThrowingTest test);

	}

	/**
	 * What an application may well do: put its connectors on Boot's Reactor resources and add a header. The header
	 * applies; the resources lend their event loops, never their connection pool.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OwnConnectorCustomizer {

		@Bean
		ClientHttpConnectorBuilderCustomizer<ReactorClientHttpConnectorBuilder> ownConnectorCustomizer(
				ReactorResourceFactory resources) {
			return (builder) -> builder.withReactorResourceFactory(resources)
				.withHttpClientCustomizer((client) -> client.headers((headers) -> headers.set("X-Connector", "customized")));
		}

	}

	@FunctionalInterface
	interface ThrowingTest {

		void run(ConfigurableApplicationContext context) throws Exception;

	}

}
