package io.pepperpy.network.http;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.autoconfigure.RedisRateLimitConnection;
import io.pepperpy.network.limit.RateLimitSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Pacing by the partner's own quota: a server that enforces {@link #QUOTA} requests per {@link #WINDOW_SECONDS} s
 * window (windows aligned on the wall clock, as a fixed-window limiter's are), answers 429 past it, and
 * advertises what is left in one header family or another; the clients offer three times the quota.
 */
class PartnerQuotaTests {

	private static final int QUOTA = 20;

	private static final int WINDOW_SECONDS = 2;

	private static final long WINDOW_MILLIS = WINDOW_SECONDS * 1000L;

	/** Three times the quota, per second. */
	private static final int DEMAND = 3 * QUOTA / WINDOW_SECONDS;

	@RegisterExtension
	static final RedisServer redis = new RedisServer();

	/** Requests accepted, by window (its start on the wall clock divided by the window). */
	private final Map<Long, AtomicInteger> accepted = new ConcurrentHashMap<>();

	private final AtomicInteger refused = new AtomicInteger();

	private final List<HttpClient> clients = new ArrayList<>();

	private final List<RedisRateLimitConnection> connections = new ArrayList<>();

	private final List<Disposable> loads = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private volatile QuotaHeaders.Family family = QuotaHeaders.Family.IETF;

	private DisposableServer server;

	@BeforeEach
	void start() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).handle((request, response) -> {
			long now = System.currentTimeMillis();
			long window = now / WINDOW_MILLIS;
			long resetMillis = (window + 1) * WINDOW_MILLIS;
			AtomicInteger used = this.accepted.computeIfAbsent(window, (key) -> new AtomicInteger());
			int count = used.incrementAndGet();
			boolean ok = count <= QUOTA;
			if (!ok) {
				used.decrementAndGet();
				this.refused.incrementAndGet();
			}
			int left = Math.max(0, QUOTA - Math.min(count, QUOTA));
			// Delta seconds, rounded up as servers do: a reset in whole seconds never says too early.
			long resetIn = (resetMillis - now + 999) / 1000;
			response.header("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
			switch (this.family) {
				case IETF -> response.header("RateLimit", "\"default\";r=" + left + ";t=" + resetIn)
					.header("RateLimit-Policy", "\"default\";q=" + QUOTA + ";w=" + WINDOW_SECONDS);
				case DRAFT -> response.header("RateLimit-Limit", Integer.toString(QUOTA))
					.header("RateLimit-Remaining", Integer.toString(left))
					.header("RateLimit-Reset", Long.toString(resetIn));
				case GITHUB -> response.header("X-RateLimit-Limit", Integer.toString(QUOTA))
					.header("X-RateLimit-Remaining", Integer.toString(left))
					.header("X-RateLimit-Reset", Long.toString(resetMillis / 1000));
			}
			return ok ? response.sendString(Mono.just("ok"))
					: response.status(429).sendString(Mono.just("quota exceeded"));
		}).bindNow();
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

	private HttpClient client(String name, RateLimitSettings rateLimit,
			@org.jspecify.annotations.Nullable StatefulRedisConnection<String, String> redisConnection) {
		HttpConfig config = HttpConfig.builder()
			.name(name)
			.baseUrl("http://127.0.0.1:" + this.server.port())
			.retries(0)
			.responseFormat(ResponseFormat.TEXT)
			.rateLimit(rateLimit)
			.build();
		HttpClient.Builder builder = HttpClient.builder().config(config).meterRegistry(this.meters);
		if (redisConnection != null) {
			builder.redisConnection(redisConnection);
		}
		HttpClient client = builder.build();
		this.clients.add(client);
		return client;
	}

	private static RateLimitSettings local(RateLimitSettings.ServerQuota serverQuota) {
		return new RateLimitSettings(0, Duration.ofSeconds(3), RateLimitSettings.Backend.LOCAL, null, 1,
				Duration.ofMillis(200), serverQuota);
	}

	/**
	 * Offer {@code rate} calls a second, open loop, until disposed; refusals and 429s are counted elsewhere. One call
	 * goes first, alone: until the partner's first answer the client knows nothing of its quota, and the calls a
	 * cold JVM would start meanwhile would go unpaced (as they would to a partner that advertises none).
	 */
	private void offer(HttpClient client, int rate) {
		client.get("/quota").retrieve(String.class).block();
		this.loads.add(Flux.interval(Duration.ofNanos(1_000_000_000L / rate))
			.flatMap((i) -> client.get("/quota").retrieve(String.class).onErrorResume((ex) -> Mono.empty()))
			.subscribe());
	}

	/**
	 * Let the load run through the window it started in and {@code full} whole windows more, stop it, and return
	 * the requests the server accepted in those whole windows.
	 */
	private int runWholeWindows(int full) throws InterruptedException {
		long first = System.currentTimeMillis() / WINDOW_MILLIS + 1;
		long end = (first + full) * WINDOW_MILLIS + 50;
		Thread.sleep(Math.max(0, end - System.currentTimeMillis()));
		this.loads.forEach(Disposable::dispose);
		int total = 0;
		for (long window = first; window < first + full; window++) {
			AtomicInteger count = this.accepted.get(window);
			total += (count != null) ? count.get() : 0;
		}
		return total;
	}

	@ParameterizedTest
	@EnumSource(QuotaHeaders.Family.class)
	void oneInstancePacedByThePartnersQuotaMeetsNo429AndUsesTheQuota(QuotaHeaders.Family family)
			throws InterruptedException {
		this.family = family;
		HttpClient client = client("partner", local(RateLimitSettings.ServerQuota.FOLLOW), null);
		offer(client, DEMAND);
		int used = runWholeWindows(2);
		assertThat(this.refused).as("429s").hasValue(0);
		assertThat(used).as("requests accepted in two whole windows of %d", QUOTA)
			.isGreaterThanOrEqualTo((int) Math.ceil(0.95 * 2 * QUOTA));
		assertThat(this.logs.list).filteredOn((event) -> event.getFormattedMessage()
			.equals("HTTP client 'partner' paces its calls by the partner's quota (" + family.headers
					+ " headers: " + (QUOTA - 1) + " left, reset in " + WINDOW_SECONDS + " s)")
				|| event.getFormattedMessage().startsWith("HTTP client 'partner' paces its calls by the partner's "
						+ "quota (" + family.headers + " headers: "))
			.hasSize(1);
		assertThat(this.meters.get("pepperpy.http.client.quota.limit").tag("client", "partner").gauge().value())
			.isEqualTo(QUOTA);
		assertThat(this.meters.get("pepperpy.http.client.quota.remaining").gauge().value()).isBetween(0.0,
				(double) QUOTA);
	}

	/**
	 * The same demand with {@code server-quota: ignore} (the family the server sends does not matter, as the client
	 * reads none): the partner refuses what the pacing holds back.
	 */
	@Test
	void ignoringThePartnersQuotaMeetsThe429sPacingAvoids() throws InterruptedException {
		HttpClient client = client("partner", local(RateLimitSettings.ServerQuota.IGNORE), null);
		offer(client, DEMAND);
		int used = runWholeWindows(2);
		assertThat(used).isEqualTo(2 * QUOTA);
		assertThat(this.refused.get()).as("429s").isGreaterThanOrEqualTo(2 * QUOTA);
		assertThat(this.meters.find("pepperpy.http.client.quota.remaining").gauge()).isNull();
	}

	@ParameterizedTest
	@EnumSource(QuotaHeaders.Family.class)
	void threeInstancesOnRedisShareThePartnersQuotaAndMeetNo429(QuotaHeaders.Family family)
			throws InterruptedException {
		this.family = family;
		String key = "quota:" + System.nanoTime();
		for (int i = 0; i < 3; i++) {
			RedisRateLimitConnection connection = RedisRateLimitConnection
				.connect(RedisURI.create("127.0.0.1", redis.port()), Duration.ofSeconds(1));
			this.connections.add(connection);
			HttpClient client = client("instance-" + i, new RateLimitSettings(0, Duration.ofSeconds(3),
					RateLimitSettings.Backend.REDIS, key, 3, Duration.ofMillis(200),
					RateLimitSettings.ServerQuota.FOLLOW), connection.connection());
			offer(client, DEMAND / 3);
		}
		int used = runWholeWindows(1);
		assertThat(this.refused).as("429s").hasValue(0);
		assertThat(used).as("requests accepted in a whole window of %d", QUOTA)
			.isGreaterThanOrEqualTo((int) Math.ceil(0.9 * QUOTA));
	}

	@Test
	void aSpentQuotaWhoseResetIsBeyondTheWaitFailsAtOnceNamingTheReset() throws InterruptedException {
		this.family = QuotaHeaders.Family.DRAFT;
		HttpClient spender = client("spender", local(RateLimitSettings.ServerQuota.IGNORE), null);
		HttpClient client = client("partner", new RateLimitSettings(0, Duration.ofMillis(100),
				RateLimitSettings.Backend.LOCAL, null, 1, Duration.ofMillis(200), RateLimitSettings.ServerQuota.FOLLOW),
				null);
		// Start a window, so that its reset is well beyond the 100 ms the call may wait.
		Thread.sleep(WINDOW_MILLIS - System.currentTimeMillis() % WINDOW_MILLIS + 20);
		Flux.range(0, QUOTA).concatMap((i) -> spender.get("/quota").retrieve(String.class)).blockLast();
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> client.get("/quota").retrieve(String.class).block())
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(429));
		int seen = this.refused.get();
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> client.get("/quota").retrieve(String.class).block())
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.RATE_LIMITED))
			.withMessageContaining("was not sent: the partner's quota is spent until it resets at ");
		assertThat(this.refused).as("429s: the refused call was never sent").hasValue(seen);
	}

}
