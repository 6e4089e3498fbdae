package io.pepperpy.network.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;
import io.pepperpy.network.http.ResponseFormat;
import io.pepperpy.network.http.autoconfigure.RedisRateLimitConnection;
import io.pepperpy.network.limit.RateLimitSettings;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Latency a permit adds, local limiter against the Redis one: sequential calls to a local server at a rate limit
 * that never makes a caller wait, so {@code pepperpy.http.client.rate.limit.wait} is the cost of taking the
 * permit alone (for Redis, one EVALSHA round trip). Arguments: the port of a running redis-server, and the number
 * of calls per backend (default 10,000).
 *
 * <pre>
 * redis-server --port 16379 --save '' --appendonly no &amp;
 * java -cp "$CP" io.pepperpy.network.benchmarks.RateLimitBackendBenchmark 16379 10000
 * </pre>
 */
public final class RateLimitBackendBenchmark {

	private RateLimitBackendBenchmark() {
	}

	public static void main(String[] args) {
		int port = Integer.parseInt(args[0]);
		int calls = (args.length > 1) ? Integer.parseInt(args[1]) : 10_000;
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> response.sendString(Mono.just("ok")))
			.bindNow();
		try (RedisRateLimitConnection redis = RedisRateLimitConnection.connect(RedisURI.create("127.0.0.1", port),
				Duration.ofSeconds(1))) {
			for (RateLimitSettings.Backend backend : RateLimitSettings.Backend.values()) {
				run(backend, server.port(), redis, calls / 5);
				Timer timer = run(backend, server.port(), redis, calls);
				System.out.printf("%-5s %,d permits: p50 %.1f us, p99 %.1f us, mean %.1f us%n",
						backend.name().toLowerCase(), calls, micros(timer, 0.5), micros(timer, 0.99),
						timer.mean(TimeUnit.MICROSECONDS));
			}
		}
		finally {
			server.disposeNow();
		}
	}

	private static Timer run(RateLimitSettings.Backend backend, int serverPort, RedisRateLimitConnection redis,
			int calls) {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		registry.config().meterFilter(new MeterFilter() {
			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				return DistributionStatisticConfig.builder()
					.percentiles(0.5, 0.99)
					.percentilePrecision(2)
					.expiry(Duration.ofHours(1))
					.bufferLength(1)
					.build()
					.merge(config);
			}
		});
		HttpConfig config = HttpConfig.builder()
			.name("bench-" + backend.name().toLowerCase())
			.baseUrl("http://127.0.0.1:" + serverPort)
			.maxRateLimit(1_000_000)
			.retries(0)
			.responseFormat(ResponseFormat.TEXT)
			.rateLimit(new RateLimitSettings(RateLimitSettings.DEFAULTS.maxPerSecond(),
					RateLimitSettings.DEFAULTS.timeout(), backend, RateLimitSettings.DEFAULTS.key(),
					RateLimitSettings.DEFAULTS.expectedInstances(), RateLimitSettings.DEFAULTS.commandTimeout()))
			.build();
		try (HttpClient client = HttpClient.builder()
			.config(config)
			.meterRegistry(registry)
			.redisConnection(redis.connection())
			.build()) {
			for (int i = 0; i < calls; i++) {
				client.get("/").retrieve(String.class).block(Duration.ofSeconds(5));
			}
		}
		return registry.get("pepperpy.http.client.rate.limit.wait").timer();
	}

	private static double micros(Timer timer, double percentile) {
		for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
			if (value.percentile() == percentile) {
				return value.value(TimeUnit.MICROSECONDS);
			}
		}
		return Double.NaN;
	}

}
