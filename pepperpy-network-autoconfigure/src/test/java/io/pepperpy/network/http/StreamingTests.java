package io.pepperpy.network.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.pepperpy.network.NetworkException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.core.io.buffer.DataBufferUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Bodies larger than max-in-memory-size are streamed or downloaded without being held in memory.
 */
class StreamingTests {

	private static final int CHUNK = 64 * 1024;

	private static final int CHUNKS = 384;

	private static final long SIZE = (long) CHUNK * CHUNKS;

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static DisposableServer server;

	@BeforeAll
	static void start() {
		byte[] chunk = new byte[CHUNK];
		for (int i = 0; i < CHUNK; i++) {
			chunk[i] = (byte) (i % 251);
		}
		server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/large", (request, response) -> response.header("Content-Length", Long.toString(SIZE))
					.send(ByteBufFlux.fromInbound(Flux.range(0, CHUNKS).map((i) -> chunk))))
				.get("/missing", (request, response) -> response.status(HttpResponseStatus.NOT_FOUND).sendString(Mono.just("gone"))))
			.bindNow();
	}

	@AfterAll
	static void stop() {
		server.disposeNow();
	}

	private static HttpClient client() {
		return HttpClient.create(HttpConfig.builder()
			.baseUrl("http://127.0.0.1:" + server.port())
			.maxInMemorySize(1024 * 1024)
			.retries(0)
			.build());
	}

	@Test
	void retrieveRefusesABodyOverTheCapAndSaysHowToStream() {
		try (HttpClient client = client()) {
			assertThatExceptionOfType(NetworkException.class)
				.isThrownBy(() -> client.get("/large").responseFormat(ResponseFormat.BYTES).retrieve().block(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.kind()).isEqualTo(NetworkException.Kind.BODY_TOO_LARGE);
					assertThat(ex.getMessage()).contains("max-in-memory-size").contains("stream()").contains("download()");
				});
		}
	}

	@Test
	void downloadWritesTheBodyToAFileWithoutBufferingIt(@TempDir Path directory) throws Exception {
		Path target = directory.resolve("large.bin");
		try (HttpClient client = client()) {
			assertThat(client.get("/large").download(target).block(WAIT)).isEqualTo(target);
			FaultMatrixTests.awaitPoolIdle(client);
		}
		assertThat(Files.size(target)).isEqualTo(SIZE);
		byte[] start = new byte[300];
		try (var in = Files.newInputStream(target)) {
			in.readNBytes(start, 0, start.length);
		}
		assertThat(start[0]).isZero();
		assertThat(start[251]).isZero();
		assertThat(start[252]).isEqualTo((byte) 1);
	}

	@Test
	void streamHandsOverBuffersAsTheyArrive() {
		try (HttpClient client = client()) {
			Long total = client.get("/large")
				.stream((body) -> body.map((buffer) -> {
					int length = buffer.readableByteCount();
					DataBufferUtils.release(buffer);
					return (long) length;
				}).reduce(0L, Long::sum))
				.block(WAIT);
			assertThat(total).isEqualTo(SIZE);
			FaultMatrixTests.awaitPoolIdle(client);
		}
	}

	@Test
	void streamingStillRaisesForStatus() {
		try (HttpClient client = client()) {
			assertThatExceptionOfType(NetworkException.class)
				.isThrownBy(() -> client.get("/missing").stream((body) -> body.then(Mono.just(1))).block(WAIT))
				.satisfies((ex) -> assertThat(ex.status()).isEqualTo(404));
		}
	}

}
