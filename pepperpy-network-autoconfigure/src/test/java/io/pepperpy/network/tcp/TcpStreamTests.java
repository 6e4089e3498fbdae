package io.pepperpy.network.tcp;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;

import static io.pepperpy.network.tcp.TcpClientTests.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Streaming mode: frames in and out on a dedicated connection.
 */
@Timeout(30)
class TcpStreamTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	@Test
	void framesGoOutAndComeBackAndCancellingClosesTheConnection() throws Exception {
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.create(server.config().build())) {
			List<String> frames = client.stream(Flux.just("a", "b", "c").map(TcpStreamTests::bytes))
				.map(TcpStreamTests::text)
				.take(3)
				.collectList()
				.block(WAIT);
			assertThat(frames).containsExactly("a", "b", "c");
			awaitUntil(() -> server.open() == 0);
		}
	}

	@Test
	void listenOnlyStreamCompletesWhenTheServerCloses() throws Exception {
		try (TestServer server = TestServer.start((socket, in, out) -> {
			out.write(bytes("\u0000\u0000\u0000\u0002hi\u0000\u0000\u0000\u0003you"));
			out.flush();
		}); TcpClient client = TcpClient.create(server.config().framing(Framing.LENGTH_PREFIXED).build())) {
			assertThat(client.stream(Flux.empty()).map(TcpStreamTests::text).collectList().block(WAIT))
				.containsExactly("hi", "you");
		}
	}

	@Test
	void silenceLongerThanTheReadTimeoutFailsTheStream() throws Exception {
		try (TestServer server = TestServer.start((socket, in, out) -> {
			out.write(bytes("one\n"));
			out.flush();
			in.read();
		}); TcpClient client = TcpClient.create(server.config().readTimeout(Duration.ofMillis(300)).build())) {
			assertThatExceptionOfType(NetworkException.class)
				.isThrownBy(() -> client.stream(Flux.empty()).collectList().block(WAIT))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TIMEOUT))
				.withMessageContaining("read-timeout 300 ms");
			awaitUntil(() -> server.open() == 0);
		}
	}

	@Test
	void oversizedInboundFrameFailsTheStream() throws Exception {
		try (TestServer server = TestServer.start((socket, in, out) -> {
			out.write(new byte[5000]);
			out.flush();
			in.read();
		}); TcpClient client = TcpClient.create(server.config().maxFrameLength(100).build())) {
			assertThatExceptionOfType(NetworkException.class)
				.isThrownBy(() -> client.stream(Flux.empty()).collectList().block(WAIT))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.BODY_TOO_LARGE));
			awaitUntil(() -> server.open() == 0);
		}
	}

	@Test
	void oversizedOutboundFrameFailsTheStream() throws Exception {
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.create(server.config().maxFrameLength(4).build())) {
			assertThatExceptionOfType(NetworkException.class)
				.isThrownBy(() -> client.stream(Flux.just(bytes("ok"), bytes("too long"))).collectList().block(WAIT))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.BODY_TOO_LARGE));
			awaitUntil(() -> server.open() == 0);
		}
	}

	@Test
	void refusedStreamReconnectsWithBackoffThenFails() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		try (TcpClient client = TcpClient.create(TcpConfig.builder()
			.host("127.0.0.1")
			.port(port)
			.retries(2)
			.retryDelay(Duration.ofMillis(100))
			.build())) {
			long start = System.nanoTime();
			assertThatExceptionOfType(NetworkException.class)
				.isThrownBy(() -> client.stream(Flux.empty()).collectList().block(WAIT))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.CONNECT));
			assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
		}
	}

	@Test
	void aStreamsConnectPassesTheCircuitBreaker() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		TcpConfig config = TcpConfig.builder()
			.host("127.0.0.1")
			.port(port)
			.retries(0)
			.circuitBreaker(new CircuitBreakerSettings(true, 50, 100, Duration.ofSeconds(10), 2,
					SlidingWindowType.COUNT_BASED, 2, Duration.ofSeconds(30), 1))
			.build();
		try (TcpClient client = TcpClient.create(config)) {
			for (int i = 0; i < 2; i++) {
				assertThatExceptionOfType(NetworkException.class)
					.isThrownBy(() -> client.stream(Flux.just(bytes("a"))).blockLast(Duration.ofSeconds(5)))
					.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.CONNECT));
			}
			assertThatExceptionOfType(NetworkException.class)
				.isThrownBy(() -> client.stream(Flux.just(bytes("a"))).blockLast(Duration.ofSeconds(5)))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN))
				.withMessageContaining("TCP client 'default'");
		}
	}

}
