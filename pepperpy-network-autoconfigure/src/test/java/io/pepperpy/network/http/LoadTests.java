package io.pepperpy.network.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.pepperpy.network.NetworkException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many requests at concurrency 256 against a local server that injects faults into about 2 % of them: nothing is
 * lost, no POST is duplicated, no connection stays acquired, the heap stays bounded. The suite runs 10,000
 * requests; {@code -Dload.requests=100000} runs the full load (see the README).
 */
class LoadTests {

	private static final int REQUESTS = Integer.getInteger("load.requests", 10_000);

	private static final int CONCURRENCY = 256;

	@Test
	void nothingLostNothingDuplicatedNothingLeaked() {
		Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
		AtomicLong faults = new AtomicLong();
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> {
				String id = request.requestHeaders().get("X-Request-Id");
				seen.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
				int dice = ThreadLocalRandom.current().nextInt(1000);
				if (dice < 10) {
					faults.incrementAndGet();
					// Drop the connection after reading the request: no response at all.
					return request.receive().then(Mono.fromRunnable(() -> request.withConnection((c) -> c.dispose())))
						.then(Mono.never());
				}
				if (dice < 20) {
					faults.incrementAndGet();
					return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
				}
				return response.header("Content-Type", "application/json")
					.sendString(request.receive().aggregate().asString().defaultIfEmpty("").map((body) -> "{\"ok\":true}"));
			})
			.bindNow();
		HttpConfig config = HttpConfig.builder()
			.baseUrl("http://127.0.0.1:" + server.port())
			.retries(2)
			.retryDelay(Duration.ofMillis(5))
			.timeout(Duration.ofSeconds(10))
			.deadline(Duration.ofSeconds(40))
			.build();
		AtomicInteger succeeded = new AtomicInteger();
		AtomicInteger failedTyped = new AtomicInteger();
		AtomicInteger failedUntyped = new AtomicInteger();
		Map<String, Boolean> posts = new ConcurrentHashMap<>();
		Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
		try (HttpClient client = HttpClient.create(config)) {
			Flux.range(0, REQUESTS).flatMap((i) -> {
				String id = "r" + i;
				boolean post = (i % 2 == 0);
				HttpClient.RequestSpec spec = post ? client.post("/orders").json(Map.of("order", i)) : client.get("/orders/{id}", i);
				if (post) {
					posts.put(id, Boolean.TRUE);
				}
				return spec.header("X-Request-Id", id)
					.retrieve()
					.doOnNext((body) -> succeeded.incrementAndGet())
					.onErrorResume((ex) -> {
						if (ex instanceof NetworkException network) {
							failedTyped.incrementAndGet();
							failures.computeIfAbsent((post ? "POST " : "GET ") + network.kind() + " " + network.status(),
									(key) -> new AtomicInteger()).incrementAndGet();
						}
						else {
							failedUntyped.incrementAndGet();
						}
						return Mono.empty();
					});
			}, CONCURRENCY).then().block(Duration.ofMinutes(10));
			FaultMatrixTests.awaitPoolIdle(client);
		}
		finally {
			server.disposeNow();
		}
		int lost = REQUESTS - succeeded.get() - failedTyped.get() - failedUntyped.get();
		long duplicatedPosts = posts.keySet().stream()
			.filter((id) -> seen.containsKey(id) && seen.get(id).get() > 1)
			.count();
		System.gc();
		long usedHeap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
		System.out.printf("load: %d requests, %d faults injected, %d succeeded, %d failed typed, %d untyped, %d lost, "
				+ "%d duplicated POSTs, heap after %d MB%n", REQUESTS, faults.get(), succeeded.get(), failedTyped.get(),
				failedUntyped.get(), lost, duplicatedPosts, usedHeap / (1024 * 1024));
		System.out.println("load: failures by method, kind and status: " + failures);
		assertThat(lost).isZero();
		assertThat(failedUntyped.get()).isZero();
		assertThat(duplicatedPosts).isZero();
		assertThat(faults.get()).isBetween((long) (REQUESTS * 0.01), (long) (REQUESTS * 0.03) + 50);
		assertThat(succeeded.get()).isGreaterThan((int) (REQUESTS * 0.97));
		assertThat(usedHeap).isLessThan(400L * 1024 * 1024);
	}

}
