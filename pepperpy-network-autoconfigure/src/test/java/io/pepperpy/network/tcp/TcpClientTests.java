package io.pepperpy.network.tcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.InvalidSettingException;
import io.pepperpy.network.NetworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Exchanges in every framing against real loopback servers: pooling, concurrency, rate limiting, metrics and
 * logging.
 */
@Timeout(30)
class TcpClientTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	@Test
	void perExchangeArgumentsAreCheckedAsTheSettingsTheyOverride() throws Exception {
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.create(server.config().build())) {
			assertThatExceptionOfType(InvalidSettingException.class)
				.isThrownBy(() -> client.exchange(bytes("x")).retries(-2))
				.withMessage("retries must be 0 or more but was -2")
				.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("retries"));
			assertThatExceptionOfType(InvalidSettingException.class)
				.isThrownBy(() -> client.exchange(bytes("x")).readTimeout(Duration.ofSeconds(-1)))
				.withMessage("readTimeout must be positive but was PT-1S");
			assertThatExceptionOfType(InvalidSettingException.class)
				.isThrownBy(() -> client.exchange(bytes("x")).deadline(Duration.ZERO))
				.withMessage("deadline must be positive but was PT0S");
		}
	}

	@Test
	void lineFramingEchoesAndReusesOnePersistentConnection() throws Exception {
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.create(server.config().build())) {
			for (int i = 0; i < 5; i++) {
				assertThat(text(client.send(bytes("hello " + i)).block(WAIT))).isEqualTo("hello " + i);
			}
			assertThat(server.accepted()).isEqualTo(1);
		}
	}

	@Test
	void lineFramingAcceptsCrLf() throws Exception {
		try (TestServer server = TestServer.start((socket, in, out) -> {
			TestServer.readLine(in);
			out.write(bytes("OK\r\n"));
			out.flush();
			TestServer.readLine(in);
		}); TcpClient client = TcpClient.create(server.config().build())) {
			assertThat(text(client.send(bytes("PING")).block(WAIT))).isEqualTo("OK");
		}
	}

	@Test
	void delimiterFraming() throws Exception {
		try (TestServer server = TestServer.start(TestServer::acknowledgeDelimited);
				TcpClient client = TcpClient
					.create(server.config().framing(Framing.DELIMITER).delimiter("||").build())) {
			assertThat(text(client.send(bytes("one")).block(WAIT))).isEqualTo("ACK:one");
			assertThat(text(client.send(bytes("two\nlines")).block(WAIT))).isEqualTo("ACK:two\nlines");
		}
	}

	@Test
	void lengthPrefixedFramingWithOneTwoAndFourBytePrefixes() throws Exception {
		for (int prefix : new int[] { 1, 2, 4 }) {
			try (TestServer server = TestServer.start(TestServer.upperCaseLengthPrefixed(prefix));
					TcpClient client = TcpClient.create(server.config()
						.framing(Framing.LENGTH_PREFIXED)
						.lengthFieldLength(prefix)
						.build())) {
				assertThat(text(client.send(bytes("abc")).block(WAIT))).as("prefix %d", prefix).isEqualTo("ABC");
				assertThat(client.send(new byte[0]).block(WAIT)).as("empty frame").isEmpty();
				byte[] big = new byte[(prefix == 1) ? 255 : 5000];
				java.util.Arrays.fill(big, (byte) 'x');
				assertThat(client.send(big).block(WAIT)).hasSize(big.length);
			}
		}
	}

	@Test
	void rawFramingHalfClosesAndReadsUntilTheServerCloses() throws Exception {
		try (TestServer server = TestServer.start(TestServer::reverseUntilEof);
				TcpClient client = TcpClient.create(server.config().framing(Framing.RAW).build())) {
			assertThat(text(client.send(bytes("abc")).block(WAIT))).isEqualTo("cba");
			assertThat(text(client.send(bytes("xyz")).block(WAIT))).isEqualTo("zyx");
			assertThat(server.accepted()).isEqualTo(2);
		}
	}

	@Test
	void concurrentExchangesShareThePoolUpToItsSize() throws Exception {
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.create(server.config().poolSize(4).build())) {
			List<String> replies = Flux.range(0, 200)
				.flatMap((i) -> client.send(bytes("m" + i)).map(TcpClientTests::text), 32)
				.collectList()
				.block(WAIT);
			assertThat(replies).hasSize(200).contains("m0", "m199");
			assertThat(server.accepted()).isBetween(1, 4);
		}
	}

	@Test
	void closeClosesEveryPooledConnection() throws Exception {
		try (TestServer server = TestServer.start(TestServer::echoLines)) {
			TcpClient client = TcpClient.create(server.config().poolSize(3).build());
			Flux.range(0, 30).flatMap((i) -> client.send(bytes("x")), 3).blockLast(WAIT);
			assertThat(server.open()).isPositive();
			client.close();
			awaitUntil(() -> server.open() == 0);
			assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> client.send(bytes("x")).block(WAIT));
		}
	}

	@Test
	void idleConnectionsAreClosedAfterPoolIdleTime() throws Exception {
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.create(server.config().poolIdleTime(Duration.ofMillis(200)).build())) {
			client.send(bytes("x")).block(WAIT);
			assertThat(server.open()).isEqualTo(1);
			awaitUntil(() -> server.open() == 0);
		}
	}

	@Test
	void aConnectionClosedByTheServerWhileIdleIsReplaced() throws Exception {
		// The server answers once and closes its side, then waits for the client to close its own: once the
		// connection is gone at the server, the client has seen the close, and the next exchange must not use it.
		try (TestServer server = TestServer.start((socket, in, out) -> {
			TestServer.readLine(in);
			out.write(bytes("once\n"));
			out.flush();
			socket.shutdownOutput();
			in.read();
		}); TcpClient client = TcpClient.create(server.config().build())) {
			assertThat(text(client.send(bytes("a")).block(WAIT))).isEqualTo("once");
			awaitUntil(() -> server.open() == 0);
			assertThat(text(client.send(bytes("b")).block(WAIT))).isEqualTo("once");
			assertThat(server.accepted()).isEqualTo(2);
		}
	}

	@Test
	void rateLimitSpacesExchangesWithoutBlocking() throws Exception {
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.create(server.config().maxRateLimit(20).build())) {
			long start = System.nanoTime();
			Flux.range(0, 11).flatMap((i) -> client.send(bytes("r" + i))).blockLast(WAIT);
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(millis).isGreaterThanOrEqualTo(450);
		}
	}

	@Test
	void rateLimitFailsAtOnceWhenTheWaitIsTooLong() throws Exception {
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.create(
						server.config().maxRateLimit(1).rateLimitTimeout(Duration.ofMillis(100)).build())) {
			client.send(bytes("first")).block(WAIT);
			assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> client.send(bytes("second")).block(WAIT))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.RATE_LIMITED))
				.withMessageContaining("was not sent");
		}
	}

	@Test
	void metersCountConnectionsExchangesBytesAndErrors() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.builder()
					.config(server.config().name("meters").maxFrameLength(10).build())
					.meterRegistry(registry)
					.build()) {
			client.send(bytes("hello")).block(WAIT);
			client.send(bytes("hi")).block(WAIT);
			assertThatExceptionOfType(NetworkException.class)
				.isThrownBy(() -> client.send(bytes("far too long for ten")).block(WAIT));
			assertThat(registry.get("pepperpy.tcp.client.exchanges")
				.tags("client", "meters", "outcome", "SUCCESS", "exception", "none")
				.timer()
				.count()).isEqualTo(2);
			assertThat(registry.get("pepperpy.tcp.client.exchanges")
				.tags("client", "meters", "outcome", "ERROR", "exception", "BODY_TOO_LARGE")
				.timer()
				.count()).isEqualTo(1);
			assertThat(registry.get("pepperpy.tcp.client.bytes")
				.tags("client", "meters", "direction", "sent")
				.functionCounter()
				.count()).isEqualTo(7);
			assertThat(registry.get("pepperpy.tcp.client.bytes")
				.tags("client", "meters", "direction", "received")
				.functionCounter()
				.count()).isEqualTo(7);
			assertThat(registry.get("pepperpy.tcp.client.errors")
				.tags("client", "meters", "kind", "BODY_TOO_LARGE")
				.counter()
				.count()).isEqualTo(1);
			assertThat(registry.get("pepperpy.tcp.client.connections")
				.tags("client", "meters", "state", "idle")
				.gauge()
				.value()).isEqualTo(1);
			assertThat(registry.get("pepperpy.tcp.client.connections")
				.tags("client", "meters", "state", "active")
				.gauge()
				.value()).isZero();
		}
		assertThat(registry.find("pepperpy.tcp.client.connections").gauges()).isEmpty();
	}

	@Test
	void logsEachExchangeAtDebug() throws Exception {
		Logger logger = (Logger) LoggerFactory.getLogger(TcpClient.class.getName() + ".logged");
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		logger.setLevel(Level.DEBUG);
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.create(server.config().name("logged").build())) {
			client.send(bytes("hello")).block(WAIT);
			assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
				.anySatisfy((message) -> assertThat(message).contains("EXCHANGE tcp://127.0.0.1:" + server.port())
					.contains("sent 5 bytes, received 5 bytes"));
		}
		finally {
			logger.detachAppender(appender);
			logger.setLevel(null);
		}
	}

	@Test
	void nothingIsSentUntilSubscribed() throws Exception {
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.create(server.config().build())) {
			client.send(bytes("never"));
			await().during(Duration.ofMillis(100)).atMost(WAIT).until(() -> server.accepted() == 0);
		}
	}

	static void awaitUntil(java.util.function.BooleanSupplier condition) {
		await().pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(20))
			.atMost(WAIT)
			.until(condition::getAsBoolean);
	}

}
