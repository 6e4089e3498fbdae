package io.pepperpy.sample;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.multipart.FileUpload;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A small demo API served in-process on a free loopback port, so the sample runs without internet access.
 */
final class DemoApi implements AutoCloseable {

	private final AtomicInteger flakyCalls = new AtomicInteger();

	private final DisposableServer server;

	DemoApi() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/users", (request, response) -> json(response,
						"[{\"id\":1,\"name\":\"Ada Lovelace\"},{\"id\":2,\"name\":\"Alan Turing\"}]"))
				.get("/users/{id}", (request, response) -> json(response,
						"{\"id\":" + request.param("id") + ",\"name\":\"Ada Lovelace\"}"))
				.post("/users", (request, response) -> response.status(HttpResponseStatus.CREATED)
					.header("Content-Type", "application/json")
					.sendString(request.receive()
						.aggregate()
						.asString()
						.map((body) -> "{\"id\":3,\"received\":" + body + ",\"customHeader\":\""
								+ request.requestHeaders().get("X-Custom", "") + "\"}")))
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

}
