package io.pepperpy.network.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.autoconfigure.PepperpyHttpClientAutoConfiguration;
import io.pepperpy.network.http.autoconfigure.PepperpyRedisRateLimitAutoConfiguration;
import io.pepperpy.network.http.autoconfigure.RedisRateLimitConnection;
import io.pepperpy.network.limit.RateLimitSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis rate-limit backend on a real Redis Cluster (three masters, and a replica of the master that owns the
 * tests' keys): three clients stand for three instances of an application sharing one limit, and the tests kill
 * that master, promote its replica and flush its scripts while the instances call.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterRateLimitTests {

	private static final int RATE = 50;

	private static final int INSTANCES = 3;

	@RegisterExtension
	static final RedisCluster cluster = new RedisCluster(3, true);

	private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();

	private final Map<String, ConcurrentLinkedQueue<Long>> arrivalsByInstance = new ConcurrentHashMap<>();

	/** How each call ended: "ok", a NetworkException's kind, or anything else's class. */
	private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

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
			}))
			.bindNow();
		// On the master with the replica, so the failover test can kill it; any slot would do for the others.
		this.key = cluster.keyOnFirstMaster("test:" + System.nanoTime() + ":");
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

	private HttpClient instance(String name, Duration rateLimitTimeout, Duration commandTimeout) {
		// A refresh every second, so a promoted replica is found within the test's patience.
		ClusterTopologyRefreshOptions refresh = ClusterTopologyRefreshOptions.builder()
			.enablePeriodicRefresh(Duration.ofSeconds(1))
			.enableAllAdaptiveRefreshTriggers()
			.build();
		RedisRateLimitConnection connection = RedisRateLimitConnection.connectCluster(cluster.seeds(),
				Duration.ofSeconds(1), refresh, 5, null);
		this.connections.add(connection);
		HttpConfig config = HttpConfig.builder()
			.name(name)
			.baseUrl("http://127.0.0.1:" + this.server.port())
			.header("X-Instance", name)
			.retries(0)
			.responseFormat(ResponseFormat.TEXT)
			.rateLimit(new RateLimitSettings(RATE, rateLimitTimeout, RateLimitSettings.Backend.REDIS, this.key, 2,
					commandTimeout))
			.build();
		HttpClient client = HttpClient.builder()
			.config(config)
			.meterRegistry(this.meters)
			.redisConnection(connection.clusterConnection())
			.build();
		this.clients.add(client);
		return client;
	}

	/**
	 * Keep 16 calls of the client in flight until disposed, counting how each ends; a call that has not ended
	 * within 5 s (well past its rate-limit timeout and the command timeout) counts as hung.
	 */
	private void load(HttpClient client) {
		this.loads.add(Flux.range(0, Integer.MAX_VALUE)
			.flatMap((i) -> client.get("/ok")
				.retrieve(String.class)
				.timeout(Duration.ofSeconds(5))
				.map((body) -> "ok")
				.onErrorResume((ex) -> Mono.just(outcome(ex)))
				.doOnNext((outcome) -> this.outcomes.computeIfAbsent(outcome, (name) -> new AtomicLong())
					.incrementAndGet()), 16)
			.subscribe());
	}

	private static String outcome(Throwable ex) {
		if (ex instanceof NetworkException network) {
			return network.kind().name();
		}
		return (ex instanceof TimeoutException) ? "HUNG" : ex.getClass().getName();
	}

	private List<Long> arrivalsBetween(long from, long to) {
		return this.arrivals.stream().filter((t) -> t >= from && t < to).sorted().toList();
	}

	private long arrivalsOf(String instance, long from, long to) {
		return this.arrivalsByInstance.getOrDefault(instance, new ConcurrentLinkedQueue<>())
			.stream()
			.filter((t) -> t >= from && t < to)
			.count();
	}

	/**
	 * How many calls the server had seen ahead of the limit's schedule at worst, as in
	 * {@code RedisRateLimitTests}: a call arrives at its slot or later, never earlier.
	 */
	private static int mostAheadOfSchedule(List<Long> sorted, long from) {
		double most = 0;
		for (int i = 0; i < sorted.size(); i++) {
			double slotsSoFar = RATE * (sorted.get(i) - from) / 1e9;
			most = Math.max(most, (i + 1) - slotsSoFar);
		}
		return (int) Math.floor(most);
	}

	private List<ILoggingEvent> events(Level level) {
		return events(level, 0);
	}

	private List<ILoggingEvent> events(Level level, long sinceMillis) {
		synchronized (this.logs) {
			// ListAppender appends under this lock (AppenderBase.doAppend), from Lettuce's threads.
			return this.logs.list.stream()
				.filter((event) -> event.getLevel() == level && event.getTimeStamp() >= sinceMillis)
				.toList();
		}
	}

	@Test
	void threeInstancesShareOneLimit() throws Exception {
		for (int i = 0; i < INSTANCES; i++) {
			// A loaded machine can hold a Redis answer past the default 200 ms: see RedisRateLimitTests.
			instance("instance-" + i, Duration.ofSeconds(30), Duration.ofSeconds(2));
		}
		// Measured from before the first call asks for a slot, so no slot is earlier.
		long from = System.nanoTime();
		this.clients.forEach(this::load);
		long to = from + TimeUnit.SECONDS.toNanos(10);
		// The test measures a rate over time: it sleeps through the period on purpose.
		Thread.sleep(TimeUnit.NANOSECONDS.toMillis(to - System.nanoTime()) + 1);
		List<Long> window = arrivalsBetween(from, to);
		double rate = window.size() / 10.0;
		List<Double> rates = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			rates.add(arrivalsOf("instance-" + i, from, to) / 10.0);
		}
		int ahead = mostAheadOfSchedule(window, from);
		System.out.printf("redis cluster rate limit: %d instances, limit %d/s, achieved %.1f/s %s, most calls ahead"
				+ " of the limit's schedule %d%n", INSTANCES, RATE, rate, rates, ahead);
		assertThat(events(Level.WARN)).as("no instance fell back to its local share").isEmpty();
		assertThat(rate).isBetween(RATE * 0.95, RATE * 1.05);
		assertThat(rates).allSatisfy((each) -> assertThat(each).isBetween(RATE / (double) INSTANCES * 0.85,
				RATE / (double) INSTANCES * 1.15));
		assertThat(ahead).isLessThanOrEqualTo(INSTANCES);
		assertThat(cluster.commands(cluster.owner(this.key)).hexists(this.key, "next")).isTrue();
	}

	@Test
	void scriptFlushOnTheOwningNodeIsSurvived() {
		HttpClient client = instance("flushed", Duration.ofSeconds(2), Duration.ofSeconds(2));
		assertThat(client.get("/ok").retrieve(String.class).block(Duration.ofSeconds(5))).isEqualTo("ok");
		var owner = cluster.commands(cluster.owner(this.key));
		String sha = owner.digest(io.pepperpy.network.internal.limit.RedisRateGateAccess.script());
		assertThat(owner.scriptExists(sha)).containsExactly(true);
		owner.scriptFlush();
		assertThat(owner.scriptExists(sha)).containsExactly(false);

		// NOSCRIPT: answered by EVAL, which loads the script again.
		assertThat(client.get("/ok").retrieve(String.class).block(Duration.ofSeconds(5))).isEqualTo("ok");
		assertThat(owner.scriptExists(sha)).containsExactly(true);
		assertThat(events(Level.WARN)).as("no fall-back to the local share").isEmpty();
		assertThat(this.meters.find("pepperpy.http.client.rate.limit.fallback").counters()).isEmpty();
	}

	/**
	 * Runs last: it leaves the first master dead and its replica in its place, which the other tests do not need
	 * (they find the key's node as it is), but a failure half-way would leave the key's slot without a master.
	 */
	@Test
	@Order(Integer.MAX_VALUE)
	void theOwningMasterDyingFallsBackAndThePromotedReplicaResumesTheSharedLimit() throws Exception {
		Duration commandTimeout = Duration.ofSeconds(1);
		for (int i = 0; i < INSTANCES; i++) {
			instance("instance-" + i, Duration.ofSeconds(2), commandTimeout);
		}
		// One call each first: a JVM's first calls (class loading, the script's first EVAL) can take longer than a
		// command timeout on a loaded machine, which is not the fall-back this test is about.
		this.clients.forEach((client) -> client.get("/ok").retrieve(String.class).block(Duration.ofSeconds(5)));
		this.clients.forEach(this::load);
		long upFrom = System.currentTimeMillis();
		// The test measures rates over time: it sleeps through each period on purpose.
		Thread.sleep(1500);
		long sharedFrom = System.nanoTime();
		Thread.sleep(1500);
		double shared = arrivalsBetween(sharedFrom, System.nanoTime()).size() / 1.5;

		long killedAt = System.currentTimeMillis();
		cluster.killFirstMaster();
		// The calls on the dead master's connection fail at once (it is closed), the next ones are rejected at
		// once: each instance falls back well within its command timeout.
		await().atMost(commandTimeout.plusSeconds(1))
			.pollInterval(Duration.ofMillis(20))
			.untilAsserted(() -> assertThat(events(Level.WARN, killedAt)).hasSize(INSTANCES));
		// Slots reserved before the kill (up to the 2 s rate-limit timeout ahead) are still sent: measure after.
		Thread.sleep(2000);
		long fallbackFrom = System.nanoTime();
		Thread.sleep(1500);
		double fallback = arrivalsBetween(fallbackFrom, System.nanoTime()).size() / 1.5;

		cluster.takeOver();
		// Each instance's topology refresh (every second here) finds the promoted replica, and its next probe
		// (one a second) resumes the shared limit there.
		await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(100))
			.untilAsserted(() -> assertThat(resumed(killedAt)).hasSize(INSTANCES));
		Thread.sleep(1000);
		long resumedFrom = System.nanoTime();
		Thread.sleep(2000);
		double resumed = arrivalsBetween(resumedFrom, System.nanoTime()).size() / 2.0;
		this.loads.forEach(Disposable::dispose);
		System.out.printf("redis cluster rate limit: shared %.1f/s, owning master killed %.1f/s (expected %d x %d/s),"
				+ " replica promoted %.1f/s; calls ended %s%n", shared, fallback, INSTANCES, RATE / 2, resumed,
				this.outcomes);

		assertThat(events(Level.WARN, upFrom)).as("no fall-back while the master was up")
			.allSatisfy((event) -> assertThat(event.getTimeStamp()).isGreaterThanOrEqualTo(killedAt));
		assertThat(shared).isBetween(RATE * 0.85, RATE * 1.15);
		assertThat(fallback).isBetween(INSTANCES * RATE / 2 * 0.8, INSTANCES * RATE / 2 * 1.15);
		assertThat(resumed).isBetween(RATE * 0.85, RATE * 1.15);
		assertThat(events(Level.WARN, killedAt)).as("one WARN per instance").hasSize(INSTANCES)
			.allSatisfy((event) -> assertThat(event.getFormattedMessage()).contains("unreachable")
				.contains(this.key)
				.contains("local share 25/s"));
		assertThat(resumed(killedAt)).as("one INFO per instance").hasSize(INSTANCES);
		// Every call ended typed: a permit (and the server's answer), or RATE_LIMITED; none hung.
		assertThat(this.outcomes.keySet()).contains("ok").isSubsetOf("ok", "RATE_LIMITED");
		assertThat(cluster.owner(this.key)).as("the promoted replica serves the key").isEqualTo(3);
	}

	private List<ILoggingEvent> resumed(long since) {
		return events(Level.INFO, since).stream().filter((e) -> e.getFormattedMessage().contains("resumed")).toList();
	}

	private static ClusterClientOptions clusterOptions(org.springframework.context.ApplicationContext context) {
		return (ClusterClientOptions) context.getBean(RedisRateLimitConnection.class).clusterConnection().getOptions();
	}

	@Test
	void bootsClusterConnectionDetailsStartTheSharedLimit() {
		// What a @ServiceConnection or Docker Compose gives for a cluster: details, not spring.data.redis.* values.
		List<DataRedisConnectionDetails.Node> nodes = cluster.seeds()
			.stream()
			.map((uri) -> new DataRedisConnectionDetails.Node(uri.getHost(), uri.getPort()))
			.toList();
		DataRedisConnectionDetails details = new DataRedisConnectionDetails() {

			@Override
			public Cluster getCluster() {
				return () -> nodes;
			}

		};
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PepperpyRedisRateLimitAutoConfiguration.class,
					PepperpyHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
					JacksonAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, () -> details)
			.withPropertyValues("pepperpy.network.http.base-url=http://127.0.0.1:" + this.server.port(),
					"pepperpy.network.http.max-rate-limit=10", "pepperpy.network.http.response-format=text",
					"pepperpy.network.http.rate-limit.backend=redis",
					"pepperpy.network.http.rate-limit.redis.key=" + this.key,
					"pepperpy.network.http.rate-limit.redis.command-timeout=2000",
					"spring.data.redis.lettuce.cluster.refresh.period=30s",
					"spring.data.redis.lettuce.cluster.refresh.adaptive=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RedisRateLimitConnection.class).isCluster()).isTrue();
				ClusterTopologyRefreshOptions refresh = clusterOptions(context).getTopologyRefreshOptions();
				assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(30));
				assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
				assertThat(context.getBean(HttpClient.class).get("/ok").retrieve(String.class)
					.block(Duration.ofSeconds(5))).isEqualTo("ok");
				assertThat(cluster.commands(cluster.owner(this.key)).hexists(this.key, "next")).isTrue();
			});
	}

	@Test
	void clusterNodesOfTheSpringDataRedisPropertiesStartTheSharedLimit() {
		// Two clients of one application, on one key: both go through Redis, so the second is refused the slot
		// that the first took (one per second), which two local limits would both have granted.
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PepperpyRedisRateLimitAutoConfiguration.class,
					PepperpyHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
					JacksonAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.cluster.nodes=" + cluster.nodesProperty(),
					"pepperpy.network.http.clients.first.base-url=http://127.0.0.1:" + this.server.port(),
					"pepperpy.network.http.clients.second.base-url=http://127.0.0.1:" + this.server.port(),
					"pepperpy.network.http.max-rate-limit=1", "pepperpy.network.http.rate-limit-timeout=100ms",
					"pepperpy.network.http.response-format=text", "pepperpy.network.http.rate-limit.backend=redis",
					"pepperpy.network.http.rate-limit.redis.key=" + this.key,
					// A cold context's first call may take longer than the default 200 ms on a loaded machine.
					"pepperpy.network.http.rate-limit.redis.command-timeout=2000",
					"spring.data.redis.cluster.max-redirects=3")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RedisRateLimitConnection.class).isCluster()).isTrue();
				ClusterClientOptions options = clusterOptions(context);
				assertThat(options.getMaxRedirects()).isEqualTo(3);
				// Refresh unset: on, unlike Boot's default, so that a failover is followed.
				assertThat(options.getTopologyRefreshOptions().isPeriodicRefreshEnabled()).isTrue();
				assertThat(options.getTopologyRefreshOptions().getRefreshPeriod()).isEqualTo(Duration.ofSeconds(10));
				assertThat(options.getTopologyRefreshOptions().getAdaptiveRefreshTriggers()).isNotEmpty();
				HttpClient first = context.getBean("firstHttpClient", HttpClient.class);
				HttpClient second = context.getBean("secondHttpClient", HttpClient.class);
				assertThat(first.get("/ok").retrieve(String.class).block(Duration.ofSeconds(5))).isEqualTo("ok");
				assertThat(second.get("/ok")
					.retrieve(String.class)
					.onErrorResume(NetworkException.class, (ex) -> Mono.just(ex.kind().name()))
					.block(Duration.ofSeconds(5))).isEqualTo("RATE_LIMITED");
				assertThat(cluster.commands(cluster.owner(this.key)).hexists(this.key, "next")).isTrue();
			});
	}

}
