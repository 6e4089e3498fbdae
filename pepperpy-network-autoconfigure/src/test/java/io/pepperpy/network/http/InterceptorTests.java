package io.pepperpy.network.http;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.pepperpy.network.NetworkException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@link RequestInterceptor} contract, the shipped interceptors and {@link HttpClientCustomizer}.
 */
class InterceptorTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	private final List<HttpClient> clients = new ArrayList<>();

	@BeforeEach
	void reset() {
		server.stubFor(any(anyUrl()).willReturn(okJson("{}")));
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(HttpClient::close);
	}

	private HttpClient client(HttpConfig.Builder config) {
		return client(HttpClient.builder().config(config.build()));
	}

	private HttpClient client(HttpClient.Builder builder) {
		HttpClient client = builder.build();
		this.clients.add(client);
		return client;
	}

	private static HttpConfig.Builder config() {
		return HttpConfig.builder().baseUrl("http://127.0.0.1:" + server.port()).retryDelay(Duration.ofMillis(10));
	}

	@Test
	void interceptorsRunInOrderOnTheWayOutAndInReverseOnTheWayBack() {
		List<String> events = new CopyOnWriteArrayList<>();
		HttpClient client = client(config().interceptor(new Recording("first", events))
			.interceptor(new Recording("second", events)));
		client.get("/x").retrieve().block(WAIT);
		assertThat(events).containsExactly("first.pre", "second.pre", "second.post", "first.post");
	}

	@Test
	void aHookMayChangeMethodUrlAndHeadersAndShareAttributes() {
		RequestInterceptor rewriting = new RequestInterceptor() {

			@Override
			public Mono<Void> preRequest(InterceptedRequest request) {
				request.method(HttpMethod.PUT);
				request.url(URI.create(request.url().toString().replace("/old", "/new")));
				request.headers().set("X-Added", "yes");
				request.attributes().put("seen", request.uriTemplate());
				return Mono.empty();
			}

			@Override
			public Mono<Void> postResponse(InterceptedResponse response) {
				assertThat(response.request().attributes()).containsEntry("seen", "/old/{id}");
				return Mono.empty();
			}

		};
		client(config().interceptor(rewriting)).get("/old/{id}", 1).retrieve().block(WAIT);
		server.verify(putRequestedFor(urlEqualTo("/new/1")).withHeader("X-Added", equalTo("yes")));
	}

	@Test
	void aHookThatThrowsOrReturnsAnErrorFailsTheCallNamingItWithoutRetry() {
		RequestInterceptor erroring = new RequestInterceptor() {

			@Override
			public Mono<Void> preRequest(InterceptedRequest request) {
				return Mono.error(new IllegalStateException("vault unavailable"));
			}

		};
		HttpClient client = client(config().retries(3).interceptor(erroring));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> client.get("/x").retrieve().block(WAIT))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.INTERCEPTOR);
				assertThat(ex.getMessage()).contains(erroring.getClass().getName() + ".preRequest")
					.contains("vault unavailable");
				assertThat(ex.getCause()).hasMessage("vault unavailable");
			});
		RequestInterceptor nullReturning = new RequestInterceptor() {

			@Override
			public Mono<Void> postResponse(InterceptedResponse response) {
				return null;
			}

		};
		HttpClient nullClient = client(config().retries(3).interceptor(nullReturning));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> nullClient.get("/y").retrieve().block(WAIT))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("postResponse returned null"));
		server.verify(0, anyRequestedFor(urlEqualTo("/x")));
		server.verify(1, anyRequestedFor(urlEqualTo("/y")));
	}

	@Test
	void hooksAreAsynchronousAndSeeTheCallersReactorContext() {
		RequestInterceptor correlation = new RequestInterceptor() {

			@Override
			public Mono<Void> preRequest(InterceptedRequest request) {
				return Mono.deferContextual((context) -> Mono.delay(Duration.ofMillis(20))
					.doOnNext((tick) -> request.headers().set("X-Correlation-Id", context.get("correlationId")))
					.then());
			}

		};
		client(config().interceptor(correlation)).get("/x")
			.retrieve()
			.contextWrite(Context.of("correlationId", "abc-123"))
			.block(WAIT);
		server.verify(getRequestedFor(urlEqualTo("/x")).withHeader("X-Correlation-Id", equalTo("abc-123")));
	}

	@Test
	void bearerTokenInterceptorAsksItsSupplierBeforeEveryAttempt() {
		server.stubFor(get("/secure").inScenario("s").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
		server.stubFor(get("/secure").inScenario("s").whenScenarioStateIs("ok").willReturn(okJson("{}")));
		AtomicInteger refreshes = new AtomicInteger();
		HttpClient client = client(config().retries(1)
			.interceptor(new BearerTokenInterceptor(() -> Mono.fromSupplier(() -> "token-" + refreshes.incrementAndGet()))));
		client.get("/secure").retrieve().block(WAIT);
		List<String> tokens = server.findAll(getRequestedFor(urlEqualTo("/secure")))
			.stream()
			.map((request) -> request.getHeader("Authorization"))
			.toList();
		assertThat(tokens).containsExactly("Bearer token-1", "Bearer token-2");
		client(config().interceptor(new BearerTokenInterceptor("static"))).get("/static").retrieve().block(WAIT);
		server.verify(getRequestedFor(urlEqualTo("/static")).withHeader("Authorization", equalTo("Bearer static")));
	}

	@Test
	void loggingInterceptorLogsEachAttemptWithSecretsRedacted() {
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		Logger logger = (Logger) LoggerFactory.getLogger(LoggingInterceptor.class);
		appender.start();
		logger.addAppender(appender);
		try {
			HttpClient client = client(config().header("Authorization", "Bearer s3cr3t")
				.header("X-Api-Key", "k3y")
				.interceptor(new LoggingInterceptor(true, Set.of("X-Api-Key"), Set.of("token"))));
			client.get("/users/{id}?token={token}", 7, "t0k3n").retrieve().block(WAIT);
			List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
			assertThat(lines).hasSize(2);
			assertThat(lines.get(0)).startsWith("Making GET request to http://127.0.0.1:" + server.port()
					+ "/users/7?token=*** (attempt 1)")
				.contains("Authorization: ***")
				.contains("X-Api-Key: ***");
			assertThat(lines.get(1)).startsWith("Got response with status 200 for GET");
			assertThat(String.join("\n", lines)).doesNotContain("s3cr3t").doesNotContain("k3y").doesNotContain("t0k3n");
		}
		finally {
			logger.detachAppender(appender);
		}
	}

	@Test
	void loggingInterceptorRedactsWhatTheClientRedactsWithoutRepeatingIt() {
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		Logger logger = (Logger) LoggerFactory.getLogger(LoggingInterceptor.class);
		appender.start();
		logger.addAppender(appender);
		try {
			HttpConfig.Builder config = config().header("X-Api-Key", "k3y")
				.redactHeaders(Set.of("X-Api-Key"))
				.redactQueryParams(Set.of("token"));
			client(config.interceptor(new LoggingInterceptor(true, Set.of(), Set.of())))
				.get("/users/{id}?token={token}", 7, "t0k3n").retrieve().block(WAIT);
			client(config().redactQueryParams(Set.of("token")).interceptor(new LoggingInterceptor()))
				.get("/plain?token={token}", "t0k3n").retrieve().block(WAIT);
			List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
			assertThat(lines).hasSize(4);
			assertThat(lines.get(0)).contains("/users/7?token=*** (attempt 1)").contains("X-Api-Key: ***");
			assertThat(lines.get(2)).contains("/plain?token=*** (attempt 1)");
			assertThat(String.join("\n", lines)).doesNotContain("k3y").doesNotContain("t0k3n");
		}
		finally {
			logger.detachAppender(appender);
		}
	}

	@Test
	void customizerCanAddARawFilterAndChangeTheConnector() {
		List<String> customized = new ArrayList<>();
		HttpClientCustomizer customizer = new HttpClientCustomizer() {

			@Override
			public void customize(String clientName, org.springframework.web.reactive.function.client.WebClient.Builder builder) {
				customized.add("builder:" + clientName);
				builder.filter((request, next) -> next
					.exchange(ClientRequest.from(request).header("X-Filter", "raw").build()));
			}

			@Override
			public reactor.netty.http.client.HttpClient customizeConnector(String clientName,
					reactor.netty.http.client.HttpClient connector) {
				customized.add("connector:" + clientName);
				return connector.headers((headers) -> headers.set("X-Connector", "netty"));
			}

		};
		HttpClient client = client(HttpClient.builder().config(config().name("api").build()).customizer(customizer));
		client.get("/x").retrieve().block(WAIT);
		assertThat(customized).containsExactly("connector:api", "builder:api");
		server.verify(getRequestedFor(urlEqualTo("/x")).withHeader("X-Filter", equalTo("raw"))
			.withHeader("X-Connector", equalTo("netty")));
	}

	@Test
	void postResponseSeesErrorStatusesToo() {
		server.stubFor(get("/missing").willReturn(aResponse().withStatus(404)));
		List<String> events = new CopyOnWriteArrayList<>();
		HttpClient client = client(config().interceptor(new Recording("only", events)));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> client.get("/missing").retrieve().block(WAIT));
		assertThat(events).containsExactly("only.pre", "only.post");
	}

	static final class Recording implements RequestInterceptor {

		private final String name;

		private final List<String> events;

		Recording(String name, List<String> events) {
			this.name = name;
			this.events = events;
		}

		@Override
		public Mono<Void> preRequest(InterceptedRequest request) {
			return Mono.fromRunnable(() -> this.events.add(this.name + ".pre"));
		}

		@Override
		public Mono<Void> postResponse(InterceptedResponse response) {
			return Mono.fromRunnable(() -> this.events.add(this.name + ".post"));
		}

	}

}
