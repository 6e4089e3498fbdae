package io.pepperpy.network.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Parts (d) rate-limiter accuracy and (e) retry-delay accuracy, both measured at a Reactor Netty server in a JVM
 * of its own that records each request's arrival {@link System#nanoTime()}.
 */
public final class ResilienceBenchmarks {

	/** The limits measured; {@code -Dbench.rates=1000,10000} picks some (to profile one). */
	private static final int[] RATES = java.util.Arrays.stream(System.getProperty("bench.rates", "10,100,1000,10000")
		.split(",")).filter((rate) -> !rate.isBlank()).mapToInt(Integer::parseInt).toArray();

	private static final long[] DELAYS_MILLIS = { 10, 100, 1_000 };

	private ResilienceBenchmarks() {
	}

	/**
	 * {@code ResilienceBenchmarks server PORT} runs the recording server ({@code run.sh} pins it to the server CPU,
	 * so a busy client neither delays nor bunches the arrival times it records);
	 * {@code ResilienceBenchmarks PORT} runs the measurements against it.
	 * @param args see above
	 * @throws Exception on failure
	 */
	public static void main(String[] args) throws Exception {
		if (args.length == 2 && args[0].equals("server")) {
			Server server = new Server(Integer.parseInt(args[1]));
			LoadBenchmarks.log("recording server on %s", server.url());
			server.server.onDispose().block();
			return;
		}
		RawResults raw = new RawResults(Settings.RAW);
		RemoteServer server = new RemoteServer("http://127.0.0.1:" + args[0]);
		rateLimiter(raw, server);
		if (!Boolean.getBoolean("bench.skipRetry")) {
			retryDelay(raw, server);
		}
		LoadBenchmarks.log("done");
		System.exit(0);
	}

	private static void rateLimiter(RawResults raw, RemoteServer server) throws Exception {
		long seconds = Settings.QUICK ? 2 : 10;
		for (int rate : RATES) {
			HttpConfig config = HttpConfig.builder()
				.name("rate-" + rate)
				.baseUrl(server.url())
				.maxRateLimit(rate)
				.rateLimitTimeout(Duration.ofSeconds(1))
				.retries(0)
				.build();
			// Each permitted request's time as it leaves for the connector (after our limiter and interceptors):
			// the same windows counted at the client, to tell the limiter's spacing from bunching on the way.
			long[] sends = new long[(int) (rate * (seconds + 2))];
			AtomicInteger sendCount = new AtomicInteger(-1);
			WebClient.Builder webClient = WebClient.builder().filter((request, next) -> {
				int index = sendCount.get();
				if (index >= 0) {
					index = sendCount.getAndIncrement();
					if (index < sends.length) {
						sends[index] = System.nanoTime();
					}
				}
				return next.exchange(request);
			});
			try (HttpClient client = HttpClient.builder().config(config).webClientBuilder(webClient).build()) {
				client.get("/ok").retrieve(String.class).onErrorResume((ex) -> Mono.empty()).block();
				BenchClient arm = new Arm.MonoArm() {
					@Override
					Mono<?> mono(Decode decode) {
						return client.get("/ok").retrieve(String.class);
					}
				};
				LoadDriver.closedLoop(arm, Decode.TEXT, 1, 1_100_000_000L);
				server.clear();
				sendCount.set(0);
				LoadDriver.Result result = LoadDriver.openLoop(arm, Decode.TEXT, 3.0 * rate, seconds * 1_000_000_000L);
				long[] sent = Arrays.copyOf(sends, Math.min(sends.length, sendCount.getAndSet(-1)));
				Arrays.sort(sent);
				int maxSentWindow = maxInWindow(sent, 100_000_000L);
				double achievedSent = (sent.length == 0) ? 0
						: Arrays.stream(sent).filter((t) -> t < sent[0] + seconds * 1_000_000_000L).count() / (double) seconds;
				long[] arrivals = server.arrivals();
				if (arrivals.length == 0) {
					LoadBenchmarks.log("rate limiter %d/s: no request arrived %s", rate, result.failures());
					continue;
				}
				long first = arrivals[0];
				long windowEnd = first + seconds * 1_000_000_000L;
				long inWindow = Arrays.stream(arrivals).filter((t) -> t < windowEnd).count();
				double achieved = inWindow / (double) seconds;
				int maxWindow = maxInWindow(arrivals, 100_000_000L);
				long rejected = result.failures().getOrDefault("NetworkException.RATE_LIMITED", 0L);
				long otherFailures = result.failed() - rejected;
				// refused after waiting: the window's share held back a caller that had a slot
				long refusedLate = result.failLatency().getCountBetweenValues(500_000_000L, Long.MAX_VALUE);
				String param = Integer.toString(rate);
				raw.add("ratelimit", "OURS", "TEXT", param, 1, "achieved_rps", achieved);
				raw.add("ratelimit", "OURS", "TEXT", param, 1, "error_pct", 100.0 * (achieved - rate) / rate);
				raw.add("ratelimit", "OURS", "TEXT", param, 1, "max_100ms", maxWindow);
				raw.add("ratelimit", "OURS", "TEXT", param, 1, "allowed_100ms", rate / 10.0 + 1);
				raw.add("ratelimit", "OURS", "TEXT", param, 1, "max_100ms_sent", maxSentWindow);
				raw.add("ratelimit", "OURS", "TEXT", param, 1, "achieved_rps_sent", achievedSent);
				raw.add("ratelimit", "OURS", "TEXT", param, 1, "demand_rps", 3.0 * rate);
				raw.add("ratelimit", "OURS", "TEXT", param, 1, "rejected", rejected);
				raw.add("ratelimit", "OURS", "TEXT", param, 1, "other_failures", otherFailures);
				raw.add("ratelimit", "OURS", "TEXT", param, 1, "refused_late", refusedLate);
				raw.add("ratelimit", "OURS", "TEXT", param, 1, "seconds", seconds);
				LoadBenchmarks.log("rate limiter %d/s: %d refused after waiting 0.5 s or more; fail latency p50 %.1f p99 %.1f ms",
						rate, refusedLate, LoadBenchmarks.millis(result.failLatency(), 50), LoadBenchmarks.millis(result.failLatency(), 99));
				LoadBenchmarks.log(
						"rate limiter %d/s: achieved %.2f/s (%+.2f %%; %.2f/s as sent), max %d in 100 ms (allowed %.0f; %d as sent), %d rejected, %d other failures %s",
						rate, achieved, 100.0 * (achieved - rate) / rate, achievedSent, maxWindow, rate / 10.0 + 1,
						maxSentWindow, rejected,
						otherFailures, result.failures());
			}
		}
	}

	static int maxInWindow(long[] sorted, long window) {
		int best = 0;
		int left = 0;
		for (int right = 0; right < sorted.length; right++) {
			while (sorted[right] - sorted[left] >= window) {
				left++;
			}
			best = Math.max(best, right - left + 1);
		}
		return best;
	}

	private static void retryDelay(RawResults raw, RemoteServer server) throws Exception {
		// One unrecorded pass first: the retry path (the 503, the decision, the timer, the second attempt) is then
		// compiled before the first measured gap, instead of the JIT competing with it for the client's one core.
		try (HttpClient client = retryClient(server, "retry-warm-up", 5)) {
			LoadDriver.openLoop(flaky(client), Decode.TEXT, 100, Settings.count(300, 10) * 10_000_000L);
		}
		for (long delay : DELAYS_MILLIS) {
			int requests = Settings.count((delay >= 1_000) ? 100 : 200, 20);
			try (HttpClient client = retryClient(server, "retry-" + delay, delay)) {
				client.get("/ok").retrieve(String.class).block();
				server.clear();
				BenchClient arm = flaky(client);
				LoadDriver.Result result = LoadDriver.openLoop(arm, Decode.TEXT, 100, requests * 10_000_000L);
				List<Double> excess = new ArrayList<>();
				for (List<Long> times : server.flaky()) {
					if (times.size() >= 2) {
						excess.add((times.get(1) - times.get(0)) / 1e6 - delay);
					}
				}
				double[] sorted = excess.stream().mapToDouble(Double::doubleValue).sorted().toArray();
				String param = Long.toString(delay);
				raw.add("retry", "OURS", "TEXT", param, 1, "samples", sorted.length);
				raw.add("retry", "OURS", "TEXT", param, 1, "failures", result.failed());
				if (sorted.length > 0) {
					raw.add("retry", "OURS", "TEXT", param, 1, "min_ms", sorted[0]);
					raw.add("retry", "OURS", "TEXT", param, 1, "p50_ms", percentile(sorted, 50));
					raw.add("retry", "OURS", "TEXT", param, 1, "p99_ms", percentile(sorted, 99));
					raw.add("retry", "OURS", "TEXT", param, 1, "max_ms", sorted[sorted.length - 1]);
				}
				LoadBenchmarks.log("retry delay %d ms: %d gaps, excess over the delay min %.2f p50 %.2f p99 %.2f max %.2f ms, %d failures %s",
						delay, sorted.length, (sorted.length > 0) ? sorted[0] : Double.NaN, percentile(sorted, 50),
						percentile(sorted, 99), (sorted.length > 0) ? sorted[sorted.length - 1] : Double.NaN,
						result.failed(), result.failures());
			}
		}
	}

	/**
	 * A client that retries once, {@code delayMillis} after a failure, without jitter or a budget in the way.
	 */
	private static HttpClient retryClient(RemoteServer server, String name, long delayMillis) {
		return HttpClient.create(HttpConfig.builder()
			.name(name)
			.baseUrl(server.url())
			.retries(1)
			.retryDelay(Duration.ofMillis(delayMillis))
			.retryJitter(Duration.ZERO)
			.retryBudgetMinPerSecond(100_000)
			.build());
	}

	/**
	 * Requests to {@code /flaky/{id}}, a new id each (so each gets its 503, then its 200).
	 */
	private static BenchClient flaky(HttpClient client) {
		AtomicInteger ids = new AtomicInteger();
		return new Arm.MonoArm() {
			@Override
			Mono<?> mono(Decode decode) {
				return client.get("/flaky/{id}", ids.incrementAndGet()).retrieve(String.class);
			}
		};
	}

	/**
	 * Nearest-rank percentile of a sorted array.
	 */
	static double percentile(double[] sorted, double percentile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
		return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
	}

	/**
	 * The client side's handle on the recording server in the other JVM.
	 */
	static final class RemoteServer {

		private final String url;

		private final java.net.http.HttpClient control = java.net.http.HttpClient.newHttpClient();

		RemoteServer(String url) {
			this.url = url;
		}

		String url() {
			return this.url;
		}

		void clear() throws Exception {
			get("/control/clear");
		}

		long[] arrivals() throws Exception {
			return get("/control/arrivals").lines().mapToLong(Long::parseLong).toArray();
		}

		List<List<Long>> flaky() throws Exception {
			List<List<Long>> all = new ArrayList<>();
			get("/control/flaky").lines()
				.filter((line) -> !line.isBlank())
				.forEach((line) -> all.add(Arrays.stream(line.split(" ")).map(Long::valueOf).toList()));
			return all;
		}

		private String get(String path) throws Exception {
			return this.control
				.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(this.url + path)).build(),
						java.net.http.HttpResponse.BodyHandlers.ofString())
				.body();
		}

	}

	/**
	 * The recording server: {@code /ok} answers 200; {@code /flaky/{id}} answers 503 to an id's first request and
	 * 200 after.
	 */
	static final class Server implements AutoCloseable {

		private final long[] arrivals = new long[2_000_000];

		private final AtomicInteger arrivalCount = new AtomicInteger();

		final Map<String, List<Long>> flaky = new ConcurrentHashMap<>();

		private final LoopResources loops = LoopResources.create("bench-server", 1, true);

		private final DisposableServer server;

		Server(int port) {
			this.server = HttpServer.create()
				.host("127.0.0.1")
				.port(port)
				.runOn(this.loops)
				.route((routes) -> routes.get("/ok", (request, response) -> {
					long now = System.nanoTime();
					int index = this.arrivalCount.getAndIncrement();
					if (index < this.arrivals.length) {
						this.arrivals[index] = now;
					}
					return response.sendString(Mono.just("ok"));
				}).get("/flaky/{id}", (request, response) -> {
					long now = System.nanoTime();
					List<Long> times = this.flaky.computeIfAbsent(request.param("id"),
							(id) -> new CopyOnWriteArrayList<>());
					times.add(now);
					if (times.size() == 1) {
						return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).sendString(Mono.just("busy"));
					}
					return response.sendString(Mono.just("ok"));
				}).get("/control/clear", (request, response) -> {
					this.arrivalCount.set(0);
					this.flaky.clear();
					return response.sendString(Mono.just("cleared"));
				}).get("/control/arrivals", (request, response) -> {
					StringBuilder body = new StringBuilder();
					for (long arrival : arrivals()) {
						body.append(arrival).append('\n');
					}
					return response.sendString(Mono.just(body.toString()));
				}).get("/control/flaky", (request, response) -> {
					StringBuilder body = new StringBuilder();
					this.flaky.values().forEach((times) -> body.append(times.stream().map(String::valueOf)
						.collect(java.util.stream.Collectors.joining(" "))).append('\n'));
					return response.sendString(Mono.just(body.toString()));
				}))
				.bindNow();
		}

		/**
		 * Return the recorded arrival times, sorted. Call it once the load has stopped.
		 */
		long[] arrivals() {
			long[] copy = Arrays.copyOf(this.arrivals, Math.min(this.arrivals.length, this.arrivalCount.get()));
			Arrays.sort(copy);
			return copy;
		}

		String url() {
			return "http://127.0.0.1:" + this.server.port();
		}

		@Override
		public void close() {
			this.server.disposeNow();
			this.loops.dispose();
		}

	}

}
