package io.pepperpy.network.http;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Canary secrets planted in headers, query and proxy credentials never appear in log lines (TRACE included),
 * exception messages, observations or the client's state, on any path.
 */
class RedactionTests {

	private static final String CANARY = "CANARY";

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final List<String> rendered = new ArrayList<>();

	private final ObservationRegistry observations = ObservationRegistry.create();

	private final List<String> observed = new java.util.concurrent.CopyOnWriteArrayList<>();

	private Logger pepperpyLogger;

	private Level previousLevel;

	private HttpClient client;

	private TunnelProxy proxy;

	@BeforeEach
	void setUp() throws Exception {
		this.logs.start();
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.addAppender(this.logs);
		this.pepperpyLogger = (Logger) LoggerFactory.getLogger("io.pepperpy");
		this.previousLevel = this.pepperpyLogger.getLevel();
		this.pepperpyLogger.setLevel(Level.TRACE);
		this.proxy = new TunnelProxy();
		this.observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

			@Override
			public void onStop(Observation.Context context) {
				RedactionTests.this.observed.add(context.getAllKeyValues().toString());
			}

		});
		HttpConfig config = HttpConfig.builder()
			.baseUrl("http://127.0.0.1:" + server.port())
			.header("Authorization", "Bearer " + CANARY + "-auth")
			.header("Cookie", "session=" + CANARY + "-cookie")
			.header("X-Api-Key", CANARY + "-key")
			.redactHeaders(Set.of("X-Api-Key"))
			.redactQueryParams(Set.of("api_key"))
			.proxy("http://user:" + CANARY + "-proxy@127.0.0.1:" + this.proxy.port())
			.retries(1)
			.retryDelay(Duration.ofMillis(10))
			.timeout(Duration.ofSeconds(2))
			.interceptor(new LoggingInterceptor(true, Set.of("X-Api-Key"), Set.of("api_key")))
			.build();
		this.client = HttpClient.builder()
			.config(config)
			.webClientBuilder(WebClient.builder().observationRegistry(this.observations))
			.observationRegistry(this.observations)
			.build();
	}

	@AfterEach
	void tearDown() throws Exception {
		this.client.close();
		this.proxy.close();
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(this.logs);
		this.pepperpyLogger.setLevel(this.previousLevel);
	}

	@Test
	void noCanaryOnAnyPath() {
		server.stubFor(get(urlPathEqualTo("/ok")).willReturn(okJson("{}").withHeader("Set-Cookie", "id=" + CANARY + "-set")));
		server.stubFor(get(urlPathEqualTo("/flaky")).inScenario("f").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
		server.stubFor(get(urlPathEqualTo("/flaky")).inScenario("f").whenScenarioStateIs("ok").willReturn(okJson("{}")));
		server.stubFor(get(urlPathEqualTo("/missing")).willReturn(aResponse().withStatus(404).withBody("not here")));
		server.stubFor(get(urlPathEqualTo("/slow")).willReturn(okJson("{}").withFixedDelay(4000)));

		call((client) -> client.get("/ok?api_key={key}", CANARY + "-query").retrieve().block());
		call((client) -> client.get("/flaky?api_key={key}", CANARY + "-query").retrieve().block());
		call((client) -> client.get("/missing?api_key={key}", CANARY + "-query").retrieve().block());
		call((client) -> client.get("/slow?api_key={key}", CANARY + "-query").retrieve().block());
		call((client) -> client.get("/ok?api_key=" + CANARY + "-literal").retrieve().block());
		call((client) -> client.get("http://127.0.0.1:1/elsewhere?api_key={key}", CANARY + "-query").retrieve().block());
		call((client) -> client.get("/x").header("X-Evil", CANARY + "\r\nInjected: 1").retrieve().block());
		try (HttpClient refused = HttpClient.create(HttpConfig.builder()
			.baseUrl("http://127.0.0.1:1")
			.header("Authorization", "Bearer " + CANARY + "-auth")
			.redactQueryParams(Set.of("api_key"))
			.retries(1)
			.retryDelay(Duration.ofMillis(10))
			.build())) {
			call(refused, (client) -> client.get("/down?api_key={key}", CANARY + "-query").retrieve().block());
		}
		this.rendered.add(this.client.state().toString());

		assertThat(this.logs.list).isNotEmpty();
		assertThat(this.logs.list).anySatisfy((event) -> assertThat(event.getLevel()).isEqualTo(Level.TRACE));
		List<String> logLines = this.logs.list.stream()
			.map((event) -> event.getFormattedMessage()
					+ ((event.getThrowableProxy() != null) ? ThrowableProxyUtil.asString(event.getThrowableProxy()) : ""))
			.toList();
		assertThat(logLines).noneMatch((line) -> line.contains(CANARY));
		assertThat(this.rendered).hasSizeGreaterThanOrEqualTo(8).noneMatch((text) -> text.contains(CANARY));
		assertThat(this.observed).isNotEmpty().noneMatch((keyValues) -> keyValues.contains(CANARY));
		assertThat(this.observed).anyMatch((keyValues) -> keyValues.contains("api_key=***"));
	}

	@Test
	void shownUrlMasksUserInfoAndListedQueryParametersAndDropsTheFragment() {
		Redactor plain = new Redactor(Set.of(), Set.of());
		Redactor masking = new Redactor(Set.of(), Set.of("token"));
		assertThat(plain.url(java.net.URI.create("http://127.0.0.1:8080/users/42?page=2")))
			.isEqualTo("http://127.0.0.1:8080/users/42?page=2");
		assertThat(plain.url(java.net.URI.create("https://[::1]/a%20b"))).isEqualTo("https://[::1]/a%20b");
		assertThat(plain.url(java.net.URI.create("http://user:secret@example.com/x")))
			.isEqualTo("http://***@example.com/x");
		assertThat(plain.url(java.net.URI.create("http://example.com/x#section"))).isEqualTo("http://example.com/x");
		assertThat(masking.url(java.net.URI.create("http://example.com/x?token=abc&page=2")))
			.isEqualTo("http://example.com/x?token=***&page=2");
		assertThat(masking.url(java.net.URI.create("http://example.com/x"))).isEqualTo("http://example.com/x");
	}

	private void call(Consumer<HttpClient> call) {
		call(this.client, call);
	}

	private void call(HttpClient client, Consumer<HttpClient> call) {
		try {
			call.accept(client);
			this.rendered.add("ok");
		}
		catch (RuntimeException ex) {
			StringWriter trace = new StringWriter();
			ex.printStackTrace(new PrintWriter(trace));
			this.rendered.add(trace.toString());
			this.rendered.add(String.valueOf(ex.getMessage()));
		}
	}

}
