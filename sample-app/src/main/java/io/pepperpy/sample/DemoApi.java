package io.pepperpy.sample;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.multipart.FileUpload;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small demo API served in-process on a free loopback port, so the sample runs without internet access. Its
 * users live in one map, so {@code /users} and {@code /users/{id}} always agree and a created user gets the next
 * id; a created user's answer echoes the {@code X-*} headers the request carried, so the sample shows the headers
 * its client really sent.
 */
final class DemoApi implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.shared();

	private final Map<Long, String> users = new ConcurrentSkipListMap<>(Map.of(1L, "Ada Lovelace", 2L, "Alan Turing"));

	private final AtomicLong nextUserId = new AtomicLong(3);

	private final AtomicInteger flakyCalls = new AtomicInteger();

	private final DisposableServer server;

	DemoApi() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/users", (request, response) -> json(response, JSON.writeValueAsString(
						this.users.entrySet().stream().map((user) -> new User(user.getKey(), user.getValue())).toList())))
				.get("/users/{id}", (request, response) -> {
					Long id = userId(request.param("id"));
					String name = (id != null) ? this.users.get(id) : null;
					if (name == null) {
						return response.status(HttpResponseStatus.NOT_FOUND).send();
					}
					return json(response, JSON.writeValueAsString(new User(id, name)));
				})
				.post("/users", (request, response) -> response.status(HttpResponseStatus.CREATED)
					.header("Content-Type", "application/json")
					.sendString(request.receive()
						.aggregate()
						.asString()
						.map((body) -> JSON.writeValueAsString(create(JSON.readTree(body).path("name").asString(),
								request.requestHeaders())))))
				.get("/status", (request, response) -> response.header("Content-Type", "text/plain")
					.sendString(Mono.just("All systems operational")))
				.get("/flaky", (request, response) -> {
					if (this.flakyCalls.incrementAndGet() % 3 != 0) {
						return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
					}
					return json(response, "{\"ok\":true,\"attempts\":3}");
				})
				.get("/ping", (request, response) -> json(response, "{\"pong\":true}"))
				.get("/down", (request, response) -> response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send())
				.post("/upload", (request, response) -> response.header("Content-Type", "application/json")
					.sendString(request.receiveForm()
						.map((data) -> "\"" + data.getName() + "\":"
								+ ((data instanceof FileUpload file) ? "\"" + file.getFilename() + " (" + file.length()
										+ " bytes)\"" : "\"" + text(data) + "\""))
						.collectList()
						.map((parts) -> "{" + String.join(",", parts) + "}"))))
			.bindNow();
	}

	private CreatedUser create(String name, HttpHeaders headers) {
		long id = this.nextUserId.getAndIncrement();
		this.users.put(id, name);
		Map<String, String> customHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.forEach((header) -> {
			if (header.getKey().regionMatches(true, 0, "X-", 0, 2)) {
				customHeaders.put(header.getKey(), header.getValue());
			}
		});
		return new CreatedUser(id, name, customHeaders);
	}

	private static Long userId(String id) {
		try {
			return Long.valueOf(id);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static reactor.netty.NettyOutbound json(reactor.netty.http.server.HttpServerResponse response,
			String body) {
		return response.header("Content-Type", "application/json").sendString(Mono.just(body));
	}

	private static String text(io.netty.handler.codec.http.multipart.HttpData data) {
		try {
			return data.getString();
		}
		catch (java.io.IOException ex) {
			return "?";
		}
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

	record User(long id, String name) {
	}

	record CreatedUser(long id, String name, Map<String, String> customHeaders) {
	}

}
