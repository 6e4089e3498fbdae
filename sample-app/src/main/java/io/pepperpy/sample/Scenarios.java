package io.pepperpy.sample;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.ResponseFormat;
import io.pepperpy.network.tcp.TcpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The PepperPy Network module's scenarios, run once at start-up against the configured base URL. The sample
 * blocks on each call to print results in order; library code never blocks.
 */
@Component
class Scenarios implements ApplicationRunner, ExitCodeGenerator {

	private static final Logger logger = LoggerFactory.getLogger(Scenarios.class);

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final HttpClient client;

	private final MeterRegistry meters;

	private final TcpClient tcpClient;

	private int failures;

	private final UsersApi usersApi;

	private final HttpClient statusClient;

	private final HttpClient partnerClient;

	Scenarios(HttpClient client, TcpClient tcpClient, MeterRegistry meters, UsersApi usersApi,
			@Qualifier("status") HttpClient statusClient, @Qualifier("partner") HttpClient partnerClient) {
		this.client = client;
		this.partnerClient = partnerClient;
		this.usersApi = usersApi;
		this.statusClient = statusClient;
		this.tcpClient = tcpClient;
		this.meters = meters;
	}

	@Override
	public void run(ApplicationArguments args) {
		print("Base URL: " + this.client.config().baseUrl());
		step("JSON GET /users", () -> this.client.get("/users").retrieve().block(WAIT));
		step("JSON GET /users/{id} with id=1", () -> this.client.get("/users/{id}", 1).retrieve().block(WAIT));
		step("POST /users with JSON and a custom header", () -> this.client.post("/users")
			.json(Map.of("name", "John Doe"))
			.header("X-Custom", "value")
			.retrieve()
			.block(WAIT));
		step("TEXT GET /status", () -> this.client.get("/status").responseFormat(ResponseFormat.TEXT).retrieve()
			.block(WAIT));
		step("GET /flaky (503 twice, then 200: retried)", () -> this.client.get("/flaky").retrieve().block(WAIT));
		step("10 rate-limited GET /ping at max-rate-limit " + this.client.config().rateLimit().maxPerSecond() + "/s", () -> {
			long start = System.nanoTime();
			List<Object> results = Flux.range(0, 10)
				.flatMap((i) -> this.client.get("/ping").retrieve())
				.collectList()
				.block(WAIT);
			return results.size() + " calls in " + (System.nanoTime() - start) / 1_000_000 + " ms";
		});
		step("GET /missing handled as NetworkException", () -> {
			try {
				this.client.get("/missing").retrieve().block(WAIT);
				throw new IllegalStateException("expected a 404");
			}
			catch (NetworkException ex) {
				return "NetworkException: " + ex.getMessage() + " (status " + ex.status() + ")";
			}
		});
		step("Multipart upload to /upload", () -> this.client.post("/upload")
			.multipart((parts) -> parts.file("file", new byte[2048], "image.jpg", MediaType.IMAGE_JPEG)
				.field("description", "Profile picture"))
			.retrieve()
			.block(WAIT));
		step("TCP exchange with the echo server at " + this.tcpClient.config().address(), () -> new String(
				this.tcpClient.send("Hello over TCP".getBytes(StandardCharsets.UTF_8)).block(WAIT),
				StandardCharsets.UTF_8));
		step("UsersApi.getUser(2) (@HttpExchange over the named client 'users')", () -> this.usersApi.getUser(2));
		step("UsersApi.createUser (@HttpExchange, POST)", () -> this.usersApi.createUser(Map.of("name", "Grace Hopper")));
		step("Named client 'status' (TEXT, its own limit of " + this.statusClient.config().rateLimit().maxPerSecond() + "/s)",
				() -> this.statusClient.get("/status").retrieve().block(WAIT));
		step("Circuit breaker of the named client 'partner': 4 x GET /down (503) open it, the 5th is not sent",
				this::circuitBreaker);
		printMetrics();
		print((this.failures == 0) ? "All scenarios completed." : this.failures + " scenario(s) failed.");
	}

	private Object circuitBreaker() {
		for (int i = 0; i < 4; i++) {
			this.partnerClient.get("/down").retrieve().onErrorComplete(NetworkException.class).block(WAIT);
		}
		try {
			this.partnerClient.get("/down").retrieve().block(WAIT);
			throw new IllegalStateException("expected the circuit to be open");
		}
		catch (NetworkException ex) {
			if (ex.kind() != NetworkException.Kind.CIRCUIT_OPEN) {
				throw ex;
			}
			return ex.kind() + " (circuit " + this.partnerClient.state().circuitBreaker() + ")";
		}
	}

	private void step(String title, java.util.function.Supplier<Object> call) {
		try {
			print("- " + title + " -> " + call.get());
		}
		catch (RuntimeException ex) {
			this.failures++;
			logger.error("- {} FAILED: {}", title, ex.getMessage(), ex);
		}
	}

	private void printMetrics() {
		print("Metrics recorded by the client:");
		this.meters.find("pepperpy.http.client.calls").tag("client", "default").timers().stream()
			.sorted(java.util.Comparator.comparing((timer) -> timer.getId().getTag("uri") + timer.getId().getTag("status")))
			.forEach((timer) -> print(String.format("  pepperpy.http.client.calls %s %s status=%s: %d call(s), mean %.1f ms",
					timer.getId().getTag("method"), timer.getId().getTag("uri"), timer.getId().getTag("status"),
					timer.count(), timer.mean(java.util.concurrent.TimeUnit.MILLISECONDS))));
		this.meters.find("pepperpy.http.client.retries").counters()
			.forEach((counter) -> print(String.format("  pepperpy.http.client.retries reason=%s: %.0f",
					counter.getId().getTag("reason"), counter.count())));
		this.meters.find("pepperpy.http.client.rate.limit.wait").timers()
			.forEach((timer) -> print(String.format("  pepperpy.http.client.rate.limit.wait client=%s: %d permits, max %.0f ms",
					timer.getId().getTag("client"), timer.count(), timer.max(java.util.concurrent.TimeUnit.MILLISECONDS))));
	}

	private static void print(String line) {
		System.out.println(line);
	}

	@Override
	public int getExitCode() {
		return (this.failures == 0) ? 0 : 1;
	}

}
