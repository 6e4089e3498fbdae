package io.pepperpy.network.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.limit.RateLimitSettings;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.autoconfigure.RedisRateLimitConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis rate-limit backend against a real redis-server: three clients stand for three instances of an
 * application sharing one limit.
 */
class RedisRateLimitTests {

	private static final int RATE = 50;

	private static final int INSTANCES = 3;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();

	private final Map<String, ConcurrentLinkedQueue<Long>> arrivalsByInstance = new ConcurrentHashMap<>();

	private final AtomicBoolean busyOnce = new AtomicBoolean(true);

	/** When the server answered the one 429, on the clock of {@link #arrivals}. */
	private final AtomicLong busyAt = new AtomicLong();

	private final List<RedisRateLimitConnection> connections = new ArrayList<>();

	private final List<HttpClient> clients = new ArrayList<>();

	private final List<Disposable> loads = new ArrayList<>();

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private DisposableServer server;

	private String key;

	@BeforeEach
	void start() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/ok", (request, response) -> {
				this.arrivals.add(System.nanoTime());
				String instance = request.requestHeaders().get("X-Instance");
				if (instance != null) {
					this.arrivalsByInstance.computeIfAbsent(instance, (name) -> new ConcurrentLinkedQueue<>())
						.add(System.nanoTime());
				}
				return response.sendString(Mono.just("ok"));
			}).get("/busy", (request, response) -> {
				if (this.busyOnce.getAndSet(false)) {
					this.busyAt.set(System.nanoTime());
					return response.status(429).header("Retry-After", "1").sendString(Mono.just("slow down"));
				}
				return response.sendString(Mono.just("ok"));
			}))
			.bindNow();
		this.key = "test:" + System.nanoTime();
		this.logs.start();
		logger().addAppender(this.logs);
	}

	@AfterEach
	void stop() {
		this.loads.forEach(Disposable::dispose);
		this.clients.forEach(HttpClient::close);
		this.connections.forEach(RedisRateLimitConnection::close);
		this.server.disposeNow();
		logger().detachAppender(this.logs);
	}

	private static Logger logger() {
		return (Logger) LoggerFactory.getLogger(HttpClient.class.getName());
	}

	/**
	 * Wait until the pause a 429 set is in Redis: the instance that got it writes it asynchronously, so another
	 * instance asking right after the failed call may see Redis before the write (as it would across machines).
	 */
	private void awaitPauseInRedis() {
		var commands = this.connections.get(0).connection().sync();
		await().atMost(Duration.ofSeconds(2))
			.until(() -> commands.hget(this.key, "paused") != null);
	}

	private HttpClient instance(String name) {
		return instance(name, Duration.ofSeconds(30));
	}

	private HttpClient instance(String name, Duration rateLimitTimeout) {
		return instance(name, rateLimitTimeout, Duration.ofMillis(200));
	}

	private HttpClient instance(String name, Duration rateLimitTimeout, Duration commandTimeout) {
		RedisRateLimitConnection connection = RedisRateLimitConnection
			.connect(RedisURI.create("127.0.0.1", redis.port()), Duration.ofSeconds(1));
		this.connections.add(connection);
		HttpConfig config = HttpConfig.builder()
			.name(name)
			.baseUrl("http://127.0.0.1:" + this.server.port())
			.header("X-Instance", name)
			.retries(0)
			.responseFormat(ResponseFormat.TEXT)
			.rateLimit(new RateLimitSettings(RATE, rateLimitTimeout, RateLimitSettings.Backend.REDIS, this.key, 2, commandTimeout))
			.build();
		HttpClient client = HttpClient.builder()
			.config(config)
			.meterRegistry(this.meters)
			.redisConnection(connection.connection())
			.build();
		this.clients.add(client);
		return client;
	}

	/**
	 * Keep 16 calls of the client in flight until disposed.
	 */
	private void load(HttpClient client) {
		this.loads.add(Flux.range(0, Integer.MAX_VALUE)
			.flatMap((i) -> client.get("/ok").retrieve(String.class).onErrorResume((ex) -> Mono.empty()), 16)
			.subscribe());
	}

	private List<Long> arrivalsBetween(long from, long to) {
		return this.arrivals.stream().filter((t) -> t >= from && t < to).sorted().toList();
	}

	/**
	 * How many calls the server had seen ahead of the limit's schedule at worst. The limit hands out one slot per
	 * {@code 1/R} s from the first, so by any time {@code t} at most {@code R * (t - from) + 1} slots have come, and
	 * a call arrives at its slot or later, never earlier; "no 100 ms window carries more than R/10 plus one per
	 * instance" allows one call ahead per instance. Unlike the largest window at the server, this does not take
	 * for a burst the calls whose slots came while a loaded machine did not run the timers (or the server), and
	 * that therefore arrive together after the stall: that put 9 to 17 calls in a 100 ms window at the server
	 * (and up to 11 as the clients sent them), with no call ahead of its slot.
	 * @param sorted the arrival times, sorted
	 * @param from a time no later than the first slot
	 * @return the largest number of calls seen ahead of the schedule
	 */
	private static int mostAheadOfSchedule(List<Long> sorted, long from) {
		double most = 0;
		for (int i = 0; i < sorted.size(); i++) {
			double slotsSoFar = RATE * (sorted.get(i) - from) / 1e9;
			most = Math.max(most, (i + 1) - slotsSoFar);
		}
		return (int) Math.floor(most);
	}

	private static int largestWindow(List<Long> sorted, long windowNanos) {
		int largest = 0;
		int first = 0;
		for (int last = 0; last < sorted.size(); last++) {
			while (sorted.get(last) - sorted.get(first) >= windowNanos) {
				first++;
			}
			largest = Math.max(largest, last - first + 1);
		}
		return largest;
	}

	/**
	 * Offer {@code rate} calls a second, open loop, until disposed.
	 */
	private void offer(HttpClient client, int rate) {
		this.loads.add(Flux.interval(Duration.ofNanos(1_000_000_000L / rate))
			.onBackpressureDrop()
			.flatMap((i) -> client.get("/ok").retrieve(String.class).onErrorResume((ex) -> Mono.empty()), 10_000)
			.subscribe());
	}

	@Test
	void equalDemandIsSharedFairly() throws Exception {
		// Each instance offers the whole limit on a timer of the same period: without the fair share, the one whose
		// timer fires first after a slot frees took nearly every slot (0.2 / 48.5 / 1.3 req/s).
		for (int i = 0; i < INSTANCES; i++) {
			offer(instance("instance-" + i, Duration.ofSeconds(1)), RATE);
		}
		List<Double> rates = ratesPerInstance();
		System.out.printf("redis rate limit fairness, equal demand %d/s each: %s req/s, limit %d/s%n", RATE, rates,
				RATE);
		assertThat(rates.stream().mapToDouble(Double::doubleValue).sum()).isBetween(RATE * 0.9, RATE * 1.1);
		assertThat(rates).allSatisfy((rate) -> assertThat(rate).isBetween(RATE / (double) INSTANCES * 0.85,
				RATE / (double) INSTANCES * 1.15));
	}

	@Test
	void anInstanceWhoseDemandFitsKeepsItAndTheOthersShareTheRest() throws Exception {
		offer(instance("instance-0", Duration.ofSeconds(1)), 5);
		offer(instance("instance-1", Duration.ofSeconds(1)), RATE);
		offer(instance("instance-2", Duration.ofSeconds(1)), RATE);
		List<Double> rates = ratesPerInstance();
		System.out.printf("redis rate limit fairness, demand 5, %d, %d/s: %s req/s, limit %d/s%n", RATE, RATE, rates,
				RATE);
		assertThat(rates.get(0)).isBetween(4.0, 6.0);
		double rest = (RATE - rates.get(0)) / 2;
		assertThat(rates.subList(1, 3)).allSatisfy((rate) -> assertThat(rate).isBetween(rest * 0.8, rest * 1.2));
	}

	/**
	 * Each instance's rate at the server over 10 s, after 2 s to settle.
	 */
	private List<Double> ratesPerInstance() throws InterruptedException {
		// Measures rates over time: it sleeps through the periods on purpose.
		Thread.sleep(2000);
		long from = System.nanoTime();
		Thread.sleep(10_000);
		long to = from + TimeUnit.SECONDS.toNanos(10);
		List<Double> rates = new java.util.ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			ConcurrentLinkedQueue<Long> mine = this.arrivalsByInstance.getOrDefault("instance-" + i,
					new ConcurrentLinkedQueue<>());
			rates.add(mine.stream().filter((t) -> t >= from && t < to).count() / 10.0);
		}
		return rates;
	}

	@Test
	void threeInstancesShareOneLimit() throws Exception {
		List<HttpClient> instances = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			// A loaded machine can hold a Redis answer past the default 200 ms: the instance then falls back to
			// its local share (by design, 3 x 25/s here), which is not the limit this test measures.
			instances.add(instance("instance-" + i, Duration.ofSeconds(30), Duration.ofSeconds(2)));
		}
		// Measured from before the first call asks for a slot, so no slot is earlier. A call reaches the server at
		// its slot or later (later when a timer or the server runs late on a loaded machine), never earlier.
		long from = System.nanoTime();
		instances.forEach(this::load);
		long to = from + TimeUnit.SECONDS.toNanos(11);
		// The test measures a rate over time: it sleeps through the period on purpose.
		Thread.sleep(TimeUnit.NANOSECONDS.toMillis(to - System.nanoTime()) + 1);
		List<Long> window = arrivalsBetween(from, to);
		double rate = window.size() / 11.0;
		int largest = largestWindow(window, TimeUnit.MILLISECONDS.toNanos(100));
		int ahead = mostAheadOfSchedule(window, from);
		System.out.printf("redis rate limit: %d instances, limit %d/s, achieved %.1f/s, largest 100 ms window %d,"
				+ " most calls ahead of the limit's schedule %d%n", INSTANCES, RATE, rate, largest, ahead);
		assertThat(events()).as("no instance fell back to its local share")
			.noneMatch((event) -> event.getLevel() == Level.WARN);
		assertThat(rate).isBetween(RATE * 0.95, RATE * 1.05);
		// R/10 + 1 per instance in any 100 ms window, counted on the limit's schedule: see mostAheadOfSchedule.
		assertThat(ahead).isLessThanOrEqualTo(INSTANCES);
		assertThat(this.meters.find("pepperpy.http.client.rate.limit.wait").timers()).isNotEmpty();
	}

	@Test
	void redisDownFallsBackToLocalShareAndRecovers() throws Exception {
		for (int i = 0; i < INSTANCES; i++) {
			load(instance("instance-" + i));
		}
		// The test measures rates over time: it sleeps through each period on purpose.
		Thread.sleep(2000);
		long sharedFrom = System.nanoTime();
		Thread.sleep(2000);
		double shared = arrivalsBetween(sharedFrom, System.nanoTime()).size() / 2.0;

		redis.stop();
		// Slots reserved in Redis before it stopped (up to ~1 s ahead) are still sent: measure after them.
		Thread.sleep(1500);
		long fallbackFrom = System.nanoTime();
		Thread.sleep(2500);
		double fallback = arrivalsBetween(fallbackFrom, System.nanoTime()).size() / 2.5;
		List<ILoggingEvent> warnings = this.logs.list.stream().filter((e) -> e.getLevel() == Level.WARN).toList();

		redis.start();
		// Each instance probes Redis once a second, so on a loaded machine one may still send its local share a
		// while after the others are back: measure the shared limit from when every instance has switched back.
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(resumedInfos()).hasSize(INSTANCES));
		// The rest of this test measures rates over time: it sleeps through each period on purpose.
		Thread.sleep(1000);
		long resumedFrom = System.nanoTime();
		Thread.sleep(3000);
		double resumed = arrivalsBetween(resumedFrom, System.nanoTime()).size() / 3.0;
		List<ILoggingEvent> infos = resumedInfos();
		System.out.printf("redis rate limit: shared %.1f/s, Redis stopped %.1f/s (expected %d x %d/s), "
				+ "restarted %.1f/s%n", shared, fallback, INSTANCES, RATE / 2, resumed);

		assertThat(shared).isBetween(RATE * 0.9, RATE * 1.1);
		// Each instance falls back to max-rate-limit / expected-instances = 25/s.
		assertThat(fallback).isBetween(INSTANCES * RATE / 2 * 0.85, INSTANCES * RATE / 2 * 1.1);
		assertThat(warnings).hasSize(INSTANCES);
		assertThat(warnings).allSatisfy((event) -> assertThat(event.getFormattedMessage())
			.contains("unreachable").contains(this.key).contains("local share 25/s"));
		assertThat(infos).hasSize(INSTANCES);
		assertThat(resumed).isBetween(RATE * 0.9, RATE * 1.1);
		assertThat(this.meters.find("pepperpy.http.client.rate.limit.fallback").counters()).hasSize(INSTANCES);
	}

	private List<ILoggingEvent> events() {
		synchronized (this.logs) {
			// ListAppender appends under this lock (AppenderBase.doAppend), from Lettuce's threads.
			return List.copyOf(this.logs.list);
		}
	}

	private List<ILoggingEvent> resumedInfos() {
		return events().stream()
			.filter((e) -> e.getLevel() == Level.INFO && e.getFormattedMessage().contains("resumed"))
			.toList();
	}

	@Test
	void retryAfterOnOneInstancePausesTheOthers() {
		HttpClient first = instance("first");
		HttpClient second = instance("second");
		second.get("/ok").retrieve(String.class).block(Duration.ofSeconds(5));
		Mono<String> busy = first.get("/busy").retrieve(String.class).onErrorResume((ex) -> Mono.just("429"));
		assertThat(busy.block(Duration.ofSeconds(5))).isEqualTo("429");
		// The pause runs from the 429, so the wait is measured from there: measured from when the pause is seen in
		// Redis (later on a loaded machine), a correct pause looked too short.
		long start = System.nanoTime();
		awaitPauseInRedis();
		second.get("/ok").retrieve(String.class).block(Duration.ofSeconds(5));
		long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(waited).isLessThanOrEqualTo(2500L);
		// The lower bound on the server's clock, from the 429 to the next request: this thread may see the 429
		// late on a loaded machine, which made a correct pause look short (791 ms) measured from here.
		long next = this.arrivalsByInstance.get("second").stream().mapToLong(Long::longValue).max().getAsLong();
		assertThat(TimeUnit.NANOSECONDS.toMillis(next - this.busyAt.get())).isGreaterThanOrEqualTo(800L);
		assertThat(second.state().pausedFor()).isEqualTo(Duration.ZERO);
	}

	@Test
	void waitLongerThanTheTimeoutIsDeniedAndCounted() {
		HttpClient client = instance("impatient");
		HttpClient other = instance("other");
		other.get("/busy").retrieve(String.class).onErrorResume((ex) -> Mono.just("429")).block(Duration.ofSeconds(5));
		awaitPauseInRedis();
		Mono<String> call = client.get("/ok").deadline(Duration.ofMillis(300)).retrieve(String.class);
		assertThat(call.onErrorResume(NetworkException.class, (ex) -> Mono.just(ex.kind().name()))
			.block(Duration.ofSeconds(5))).isEqualTo("RATE_LIMITED");
		assertThat(this.meters.get("pepperpy.http.client.rate.limit.denied").tag("client", "impatient")
			.tag("backend", "redis").counter().count()).isEqualTo(1.0);
	}

}
