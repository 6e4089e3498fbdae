package io.pepperpy.network.http;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breaker against a real server: which attempts count, what an open circuit does and does not touch,
 * and how it closes again. Each test counts what reached the server.
 */
class CircuitBreakerTests {

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	/** Opens once half of the last 4 recorded attempts failed; probes 1 attempt after 300 ms. */
	private static final CircuitBreakerSettings QUICK = new CircuitBreakerSettings(true, 50, 100,
			Duration.ofSeconds(10), 4, SlidingWindowType.COUNT_BASED, 4, Duration.ofMillis(300), 1);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private HttpClient client;

	@AfterEach
	void close() {
		if (this.client != null) {
			this.client.close();
		}
	}

	private HttpClient client(String name, UnaryOperator<HttpConfig.Builder> config) {
		return client(name, config, null);
	}

	private HttpClient client(String name, UnaryOperator<HttpConfig.Builder> config,
			CircuitBreakerRegistry registry) {
		HttpConfig.Builder builder = HttpConfig.builder()
			.name(name)
			.baseUrl(server.http())
			.timeout(Duration.ofSeconds(2))
			.retries(0)
			.responseFormat(ResponseFormat.TEXT)
			.circuitBreaker(QUICK);
		HttpClient.Builder client = HttpClient.builder().config(config.apply(builder).build()).meterRegistry(this.meters);
		if (registry != null) {
			client.circuitBreakerRegistry(registry);
		}
		return client.build();
	}

	private static NetworkException failure(HttpClient client, String path) {
		try {
			client.get(path).retrieve().block(Duration.ofSeconds(5));
		}
		catch (NetworkException ex) {
			return ex;
		}
		throw new AssertionError("expected " + path + " to fail");
	}

	@Test
	void failuresOpenItAndAnOpenCircuitFailsAtOnceWithoutReachingTheServer() {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		this.client = client("partner", (config) -> config);
		for (int i = 0; i < 4; i++) {
			assertThat(failure(this.client, "/down").kind()).isEqualTo(NetworkException.Kind.STATUS);
		}
		long start = System.nanoTime();
		NetworkException open = failure(this.client, "/down");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
		assertThat(open.kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
		assertThat(open.getMessage()).contains("HTTP client 'partner'")
			.contains("circuit breaker is open")
			.contains("lets probes through in about");
		server.verify(4, getRequestedFor(urlEqualTo("/down")));
		assertThat(this.client.state().circuitBreaker()).isEqualTo("open");
		assertThat(this.meters.get("pepperpy.http.client.circuit.state").tag("state", "open").gauge().value())
			.isEqualTo(1.0);
		assertThat(this.meters.get("pepperpy.http.client.circuit.not.permitted").counter().count()).isEqualTo(1.0);
	}

	@Test
	void afterTheWaitAProbeClosesItWithOneWarningWhenItOpenedAndOneInfoWhenItClosed() throws InterruptedException {
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		Logger logger = (Logger) LoggerFactory.getLogger(HttpClient.class.getName() + ".partner");
		log.start();
		logger.addAppender(log);
		try {
			server.stubFor(get("/flaky").willReturn(aResponse().withStatus(500)));
			this.client = client("partner", (config) -> config);
			for (int i = 0; i < 4; i++) {
				failure(this.client, "/flaky");
			}
			assertThat(failure(this.client, "/flaky").kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
			server.stubFor(get("/flaky").willReturn(ok("back")));
			// Waits out the 300 ms open state on purpose: resilience4j turns half-open only at a call after it.
			Thread.sleep(400);
			assertThat(this.client.get("/flaky").retrieve().block(Duration.ofSeconds(5))).isEqualTo("back");
			assertThat(this.client.state().circuitBreaker()).isEqualTo("closed");
			assertThat(this.client.get("/flaky").retrieve().block(Duration.ofSeconds(5))).isEqualTo("back");
			server.verify(6, getRequestedFor(urlEqualTo("/flaky")));
			assertThat(log.list).filteredOn((event) -> event.getFormattedMessage().contains("circuit breaker opened"))
				.singleElement()
				.satisfies((event) -> assertThat(event.getLevel()).isEqualTo(Level.WARN))
				.satisfies((event) -> assertThat(event.getFormattedMessage()).contains("HTTP client 'partner'")
					.contains("failure rate 100.0 %"));
			assertThat(log.list).filteredOn((event) -> event.getFormattedMessage().contains("circuit breaker closed"))
				.singleElement()
				.satisfies((event) -> assertThat(event.getLevel()).isEqualTo(Level.INFO));
		}
		finally {
			logger.detachAppender(log);
		}
	}

	@Test
	void aFailedProbeReopensIt() throws InterruptedException {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(502)));
		this.client = client("partner", (config) -> config);
		for (int i = 0; i < 4; i++) {
			failure(this.client, "/down");
		}
		// Waits out the 300 ms open state on purpose: resilience4j turns half-open only at a call after it.
		Thread.sleep(400);
		assertThat(failure(this.client, "/down").kind()).as("the probe").isEqualTo(NetworkException.Kind.STATUS);
		assertThat(failure(this.client, "/down").kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
		server.verify(5, getRequestedFor(urlEqualTo("/down")));
	}

	@Test
	void halfOpenLetsOnlyTheConfiguredProbesThrough() throws InterruptedException {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		this.client = client("partner", (config) -> config);
		for (int i = 0; i < 4; i++) {
			failure(this.client, "/down");
		}
		server.resetRequests();
		server.stubFor(get("/down").willReturn(ok("back").withFixedDelay(500)));
		// Waits out the 300 ms open state on purpose: resilience4j turns half-open only at a call after it.
		Thread.sleep(400);
		List<Object> outcomes = Flux.range(0, 10)
			.flatMap((i) -> this.client.get("/down")
				.retrieve()
				.map(Object.class::cast)
				.onErrorResume(NetworkException.class, (ex) -> Mono.just(ex.kind())), 10)
			.collectList()
			.block(Duration.ofSeconds(5));
		assertThat(outcomes).containsOnlyOnce("back").filteredOn(NetworkException.Kind.CIRCUIT_OPEN::equals).hasSize(9);
		server.verify(1, getRequestedFor(urlEqualTo("/down")));
		assertThat(this.client.state().circuitBreaker()).isEqualTo("closed");
	}

	@Test
	void halfOpenLetsOnlyTheConfiguredProbesThroughWhenTheAttemptsWaitForPermits() throws InterruptedException {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		this.client = client("partner", (config) -> config.maxRateLimit(20).rateLimitTimeout(Duration.ofSeconds(5)));
		for (int i = 0; i < 4; i++) {
			failure(this.client, "/down");
		}
		server.resetRequests();
		server.stubFor(get("/down").willReturn(ok("back").withFixedDelay(800)));
		// Waits out the 300 ms open state on purpose: resilience4j turns half-open only at a call after it.
		Thread.sleep(400);
		// All ten pass the check before the wait (a probe is free then); the breaker admits the first to get its
		// permit as the probe and refuses the others when their permits come, 50 ms apart, while it runs.
		List<Object> outcomes = Flux.range(0, 10)
			.flatMap((i) -> this.client.get("/down")
				.retrieve()
				.map(Object.class::cast)
				.onErrorResume(NetworkException.class, (ex) -> Mono.just(ex.kind())), 10)
			.collectList()
			.block(Duration.ofSeconds(5));
		assertThat(outcomes).containsOnlyOnce("back").filteredOn(NetworkException.Kind.CIRCUIT_OPEN::equals).hasSize(9);
		server.verify(1, getRequestedFor(urlEqualTo("/down")));
		assertThat(this.client.state().circuitBreaker()).isEqualTo("closed");
	}

	@Test
	void clientErrorsAndRateLimitsNeverOpenIt() {
		server.stubFor(get("/missing").willReturn(aResponse().withStatus(404)));
		server.stubFor(get("/busy").willReturn(aResponse().withStatus(429)));
		this.client = client("partner", (config) -> config);
		for (int i = 0; i < 8; i++) {
			assertThat(failure(this.client, "/missing").status()).isEqualTo(404);
			assertThat(failure(this.client, "/busy").status()).isEqualTo(429);
		}
		assertThat(this.client.state().circuitBreaker()).isEqualTo("closed");
		server.verify(16, anyRequestedFor(anyUrl()));
	}

	@Test
	void timeoutsAreFailures() {
		server.stubFor(get("/slow").willReturn(ok("late").withFixedDelay(1_000)));
		this.client = client("partner", (config) -> config.timeout(Duration.ofMillis(200)));
		for (int i = 0; i < 4; i++) {
			assertThat(failure(this.client, "/slow").kind()).isEqualTo(NetworkException.Kind.TIMEOUT);
		}
		assertThat(failure(this.client, "/slow").kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
	}

	@Test
	void connectFailuresAreFailures() {
		this.client = HttpClient.builder()
			.config(HttpConfig.builder()
				.name("gone")
				.baseUrl("http://127.0.0.1:1")
				.retries(0)
				.circuitBreaker(QUICK)
				.build())
			.build();
		for (int i = 0; i < 4; i++) {
			assertThat(failure(this.client, "/x").kind()).isEqualTo(NetworkException.Kind.CONNECT);
		}
		assertThat(failure(this.client, "/x").kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
	}

	@Test
	void aPostsFailureThatIsNotRetriedStillCounts() {
		server.stubFor(post("/orders").willReturn(aResponse().withStatus(503)));
		this.client = client("partner", (config) -> config.retries(3));
		for (int i = 0; i < 4; i++) {
			NetworkException failure = failure(this.client.post("/orders").body("{}", MediaType.APPLICATION_JSON));
			assertThat(failure.status()).isEqualTo(503);
		}
		server.verify(4, postRequestedFor(urlEqualTo("/orders")));
		assertThat(failure(this.client.post("/orders").body("{}", MediaType.APPLICATION_JSON)).kind())
			.isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
	}

	@Test
	void everyAttemptCountsAndAnOpenCircuitEndsTheRetriesWithoutSpendingTheBudget() {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		this.client = client("partner", (config) -> config.retries(10).retryDelay(Duration.ofMillis(10)));
		long budget = this.client.state().retryBudgetRemaining();
		NetworkException failure = failure(this.client, "/down");
		assertThat(failure.kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
		server.verify(4, getRequestedFor(urlEqualTo("/down")));
		// The fourth retry was ordered after the fourth 503, before that 503 opened the circuit; the refusal that
		// ended the call spent nothing.
		assertThat(this.client.state().retryBudgetRemaining()).isEqualTo(budget - 4);
		for (int i = 0; i < 20; i++) {
			assertThat(failure(this.client, "/down").kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
		}
		assertThat(this.client.state().retryBudgetRemaining()).isEqualTo(budget - 4);
		server.verify(4, getRequestedFor(urlEqualTo("/down")));
	}

	@Test
	void refusedAttemptsTakeNoRateLimitPermit() {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		this.client = client("partner", (config) -> config.maxRateLimit(4).rateLimitTimeout(Duration.ofSeconds(5)));
		for (int i = 0; i < 4; i++) {
			failure(this.client, "/down");
		}
		long start = System.nanoTime();
		for (int i = 0; i < 50; i++) {
			assertThat(failure(this.client, "/down").kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("50 refusals at 4 permits/s would take 12 s")
			.isLessThan(Duration.ofSeconds(1));
	}

	/**
	 * Issue 25's load: 200 calls at once against a partner answering 503, 20 permits per second, 2 retries. The
	 * circuit opens after its tenth attempt, about 0.5 s in; the attempts still waiting for a permit then must fail
	 * at once instead of reaching the partner one by one as their permits come, and must give their slots back.
	 */
	@Test
	void anOpeningCircuitFailsTheAttemptsWaitingForAPermitAtOnceAndTheyGiveTheirSlotsBack()
			throws InterruptedException {
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		Logger logger = (Logger) LoggerFactory.getLogger(HttpClient.class.getName() + ".partner");
		log.start();
		logger.addAppender(log);
		try {
			server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
			try (HttpClient warm = client("warm", (config) -> config.circuitBreaker(CircuitBreakerSettings.DEFAULTS))) {
				// A cold server and JVM answer the first requests slowly, and attempts on the wire when the circuit
				// opens still count; warm them up so that the opening comes with about one attempt on the wire.
				Flux.range(0, 20).flatMap((i) -> warm.get("/down").retrieve().onErrorComplete()).blockLast();
			}
			server.resetRequests();
			Duration openFor = Duration.ofSeconds(1);
			this.client = client("partner",
					(config) -> config.circuitBreaker(new CircuitBreakerSettings(true, 50, 100, Duration.ofSeconds(10),
							10, SlidingWindowType.COUNT_BASED, 10, openFor, 1))
						.retries(2)
						.retryDelay(Duration.ofMillis(10))
						.maxRateLimit(20)
						.rateLimitTimeout(Duration.ofSeconds(30)));
			List<Ended> calls = Flux.range(0, 200)
				.flatMap((i) -> this.client.get("/down")
					.retrieve()
					.map(Object.class::cast)
					.onErrorResume(NetworkException.class, (ex) -> Mono.just(ex.kind()))
					.map((outcome) -> new Ended(outcome, System.currentTimeMillis())), 200)
				.take(Duration.ofSeconds(10))
				.collectList()
				.block(Duration.ofSeconds(30));
			List<ILoggingEvent> openings = log.list.stream()
				.filter((event) -> event.getFormattedMessage().contains("circuit breaker opened"))
				.toList();
			assertThat(openings).as("the circuit opened once, and no late result opened it again").hasSize(1);
			long opened = openings.get(0).getTimeStamp();
			int sent = server.findAll(getRequestedFor(urlEqualTo("/down"))).size();
			assertThat(sent).as("requests that reached the partner").isLessThanOrEqualTo(20);
			assertThat(this.meters.get("pepperpy.http.client.rate.limit.wait").tag("client", "partner").timer().count())
				.as("permits handed out: none to an attempt the circuit refused")
				.isEqualTo(sent);
			assertThat(calls).hasSize(200)
				.filteredOn((call) -> call.outcome() == NetworkException.Kind.CIRCUIT_OPEN)
				.hasSizeGreaterThanOrEqualTo(180)
				.allSatisfy((call) -> assertThat(call.atMillis() - opened)
					.as("how long after the circuit opened a CIRCUIT_OPEN call ended")
					.isLessThanOrEqualTo(OPENING_SLACK_MILLIS));
			// The waits cut short gave their slots back: once the circuit closes, a call waits no longer than the
			// rate asks, not behind the ~10 s of slots the refused attempts had reserved.
			server.stubFor(get("/down").willReturn(ok("back")));
			// Waits out the open state on purpose: resilience4j turns half-open only at a call after it.
			Thread.sleep(Math.max(0, opened + openFor.toMillis() + 100 - System.currentTimeMillis()));
			long start = System.nanoTime();
			assertThat(this.client.get("/down").retrieve().block(Duration.ofSeconds(5))).as("the probe")
				.isEqualTo("back");
			assertThat(this.client.state().circuitBreaker()).isEqualTo("closed");
			assertThat(this.client.get("/down").retrieve().block(Duration.ofSeconds(5))).isEqualTo("back");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
		}
		finally {
			logger.detachAppender(log);
		}
	}

	/**
	 * How long after the opening the waiting calls may end. They all end in one pass on the thread that saw the
	 * opening: within 200 ms, as issue 25 asks, unless that thread loses its core (up to 380 ms was seen with two
	 * cores and a load average of 11). Attempts released by the limiter instead would end 50 ms apart, over 9 s.
	 */
	static final long OPENING_SLACK_MILLIS = 1_000;

	private record Ended(Object outcome, long atMillis) {
	}

	@Test
	void eachClientHasItsOwnCircuit() {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		server.stubFor(get("/up").willReturn(ok("fine")));
		this.client = client("partner", (config) -> config);
		try (HttpClient other = client("other", (config) -> config)) {
			for (int i = 0; i < 4; i++) {
				failure(this.client, "/down");
			}
			assertThat(failure(this.client, "/up").kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
			assertThat(other.get("/up").retrieve().block(Duration.ofSeconds(5))).isEqualTo("fine");
			assertThat(other.state().circuitBreaker()).isEqualTo("closed");
		}
	}

	@Test
	void cancelledAttemptsAreNotRecordedAndGiveTheirProbeBack() throws InterruptedException {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		server.stubFor(get("/slow").willReturn(ok("late").withFixedDelay(2_000)));
		this.client = client("partner", (config) -> config.timeout(Duration.ofSeconds(5)));
		for (int i = 0; i < 4; i++) {
			failure(this.client, "/down");
		}
		// Waits out the 300 ms open state on purpose: resilience4j turns half-open only at a call after it.
		Thread.sleep(400);
		// The one probe is taken, then cancelled: its permission comes back, so the next probe runs.
		Flux.range(0, 1).flatMap((i) -> this.client.get("/slow").retrieve()).take(Duration.ofMillis(200)).blockLast();
		server.stubFor(get("/down").willReturn(ok("back")));
		assertThat(this.client.get("/down").retrieve().block(Duration.ofSeconds(5))).isEqualTo("back");
		assertThat(this.client.state().circuitBreaker()).isEqualTo("closed");
	}

	@Test
	void anInstanceOfTheClientsNameInResilience4jsRegistryIsUsed() {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		CircuitBreaker configured = registry.circuitBreaker("partner",
				CircuitBreakerConfig.custom().minimumNumberOfCalls(2).slidingWindowSize(2).build());
		this.client = client("partner",
				(config) -> config.circuitBreaker(new CircuitBreakerSettings(true, 50, 100, Duration.ofSeconds(10), 100,
						SlidingWindowType.COUNT_BASED, 100, Duration.ofMillis(300), 1)),
				registry);
		failure(this.client, "/down");
		failure(this.client, "/down");
		assertThat(configured.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(failure(this.client, "/down").kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN);
		try (HttpClient other = client("other", (config) -> config, registry)) {
			other.get("/down").retrieve().onErrorComplete().block(Duration.ofSeconds(5));
			assertThat(registry.find("other")).as("made from the client's settings and added to the registry")
				.hasValueSatisfying((breaker) -> assertThat(breaker.getCircuitBreakerConfig().getMinimumNumberOfCalls())
					.isEqualTo(4));
		}
	}

	@Test
	void withoutItNothingChanges() {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		this.client = client("partner", (config) -> config.circuitBreaker(CircuitBreakerSettings.DEFAULTS));
		for (int i = 0; i < 10; i++) {
			assertThat(failure(this.client, "/down").kind()).isEqualTo(NetworkException.Kind.STATUS);
		}
		assertThat(this.client.state().circuitBreaker()).isEqualTo("disabled");
		assertThat(this.meters.find("pepperpy.http.client.circuit.state").gauge()).isNull();
	}

	private static NetworkException failure(HttpClient.RequestSpec request) {
		try {
			request.retrieve().block(Duration.ofSeconds(5));
		}
		catch (NetworkException ex) {
			return ex;
		}
		throw new AssertionError("expected the request to fail");
	}

}
