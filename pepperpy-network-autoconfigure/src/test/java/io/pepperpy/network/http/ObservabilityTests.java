package io.pepperpy.network.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import brave.sampler.Sampler;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Observation ({@code http.client.requests}), the client's own meters and tracing.
 */
class ObservabilityTests {

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

	private HttpClient client(HttpConfig.Builder config, ObservationRegistry observations,
			SimpleMeterRegistry meters) {
		HttpClient.Builder builder = HttpClient.builder()
			.config(config.baseUrl("http://127.0.0.1:" + server.port()).retryDelay(Duration.ofMillis(10)).build())
			.webClientBuilder(WebClient.builder().observationRegistry(observations))
			.observationRegistry(observations);
		if (meters != null) {
			builder.meterRegistry(meters);
		}
		HttpClient client = builder.build();
		this.clients.add(client);
		return client;
	}

	@Test
	void attemptsAreObservedAsHttpClientRequestsWithTheClientNameAndUriTemplate() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		HttpClient client = client(HttpConfig.builder().name("users-api"), registry, null);
		client.get("/users/{id}", 42).retrieve().block(WAIT);
		assertThat(registry).hasObservationWithNameEqualTo("http.client.requests")
			.that()
			.hasLowCardinalityKeyValue("client.name", "users-api")
			.hasLowCardinalityKeyValue("uri", "/users/{id}")
			.hasLowCardinalityKeyValue("status", "200")
			.hasParentObservationContextMatching((parent) -> parent.getName().equals("pepperpy.http.client.call"));
		assertThat(registry).hasObservationWithNameEqualTo("pepperpy.http.client.call")
			.that()
			.hasLowCardinalityKeyValue("client.name", "users-api")
			.hasLowCardinalityKeyValue("uri", "/users/{id}");
	}

	@Test
	void httpClientRequestsTimerUsesTheTemplateNotTheExpandedPath() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		HttpClient client = client(HttpConfig.builder(), registry, meters);
		Flux.range(0, 300).concatMap((id) -> client.get("/users/{id}", id).retrieve()).blockLast(WAIT);
		Set<String> uris = meters.find("http.client.requests").timers().stream()
			.map((timer) -> timer.getId().getTag("uri"))
			.collect(Collectors.toSet());
		assertThat(uris).containsExactly("/users/{id}");
		assertThat(meters.get("http.client.requests").tag("client.name", "default").timer().count()).isEqualTo(300);
		assertThat(meters.get("pepperpy.http.client.calls").tag("uri", "/users/{id}").timer().count()).isEqualTo(300);
	}

	@Test
	void ownMetersStayBoundedWhateverIsCalled() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		HttpConfig config = HttpConfig.builder().retries(0).build();
		HttpClient client = HttpClient.builder().config(config).meterRegistry(meters).build();
		this.clients.add(client);
		// Absolute URLs without a base URL (the brief's batch example): each one is its own template.
		Flux.range(0, 260)
			.concatMap((i) -> client.get("http://127.0.0.1:" + server.port() + "/items/" + i + "?q=" + i).retrieve())
			.blockLast(WAIT);
		Set<String> uris = meters.find("pepperpy.http.client.calls").timers().stream()
			.map((timer) -> timer.getId().getTag("uri"))
			.collect(Collectors.toSet());
		assertThat(uris).hasSize(ClientMetrics.MAX_URIS + 1).contains("OTHER", "/items/0").noneMatch((uri) -> uri.contains("?"));
	}

	@Test
	void meterDetailIsSwitchable() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		TestObservationRegistry observations = TestObservationRegistry.create();
		client(HttpConfig.builder().metricsPerAttempt(false), observations, meters).get("/a").retrieve().block(WAIT);
		assertThat(meters.find("pepperpy.http.client.attempts").meters()).isEmpty();
		assertThat(meters.find("pepperpy.http.client.calls").meters()).hasSize(1);

		SimpleMeterRegistry none = new SimpleMeterRegistry();
		TestObservationRegistry unobserved = TestObservationRegistry.create();
		client(HttpConfig.builder().metricsEnabled(false).observationEnabled(false), unobserved, none).get("/b")
			.retrieve()
			.block(WAIT);
		assertThat(none.getMeters()).extracting(Meter::getId).isEmpty();
		assertThat(unobserved).doesNotHaveAnyObservation();
	}

	/**
	 * With the circuit breaker on too: its stage wraps each attempt in a subscriber of its own, which must pass
	 * the Reactor context (and so the call's span) through.
	 */
	@ParameterizedTest(name = "circuit breaker {0}")
	@ValueSource(booleans = { false, true })
	void aCallIsOneSpanWithOneChildPerAttemptAndTraceHeadersReachTheServer(boolean circuitBreaker) {
		server.stubFor(get("/flaky").inScenario("f").whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
		server.stubFor(get("/flaky").inScenario("f").whenScenarioStateIs("ok").willReturn(okJson("{}")));
		List<MutableSpan> spans = new CopyOnWriteArrayList<>();
		Tracing tracing = Tracing.newBuilder()
			.currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder().build())
			.sampler(Sampler.ALWAYS_SAMPLE)
			.addSpanHandler(new SpanHandler() {

				@Override
				public boolean end(TraceContext context, MutableSpan span, Cause cause) {
					spans.add(span);
					return true;
				}

			})
			.build();
		try {
			BraveTracer tracer = new BraveTracer(tracing.tracer(),
					new BraveCurrentTraceContext(tracing.currentTraceContext()), new BraveBaggageManager());
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
						new PropagatingSenderTracingObservationHandler<>(tracer, new BravePropagator(tracing)),
						new DefaultTracingObservationHandler(tracer)));
			HttpClient client = client(HttpConfig.builder()
				.retries(2)
				.circuitBreaker(CircuitBreakerSettings.DEFAULTS.withEnabled(circuitBreaker)), registry, null);
			client.get("/flaky").retrieve().block(WAIT);
			assertThat(client.state().circuitBreaker()).isEqualTo(circuitBreaker ? "closed" : "disabled");
		}
		finally {
			tracing.close();
		}
		MutableSpan call = spans.stream().filter((span) -> "pepperpy get".equals(span.name())).findFirst().orElseThrow();
		List<MutableSpan> attempts = spans.stream().filter((span) -> call.id().equals(span.parentId())).toList();
		assertThat(attempts).hasSize(2);
		assertThat(spans).allSatisfy((span) -> assertThat(span.traceId()).isEqualTo(call.traceId()));
		List<String> traceIds = server.findAll(getRequestedFor(urlEqualTo("/flaky")))
			.stream()
			.map((request) -> request.getHeader("X-B3-TraceId"))
			.toList();
		assertThat(traceIds).hasSize(2).allSatisfy((id) -> assertThat(id).isEqualTo(call.traceId()));
	}

}
