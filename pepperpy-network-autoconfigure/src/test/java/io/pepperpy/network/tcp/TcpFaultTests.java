package io.pepperpy.network.tcp;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static io.pepperpy.network.tcp.TcpClientTests.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Fault shapes against real loopback servers: refused, reset, stalled, half-closed, oversized frames, a server
 * that does not read, cancellation and deadlines. Every failure is a typed {@link NetworkException} with a cause,
 * within its timeout, and leaves no connection or buffer behind.
 */
@Timeout(30)
class TcpFaultTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** How long after the circuit opens the exchanges waiting for a permit may end: see the HTTP client's test. */
	private static final long OPENING_SLACK_MILLIS = 1_000;

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static NetworkException fail(TcpClient client, String request) {
		return fail(client.send(bytes(request)));
	}

	private static NetworkException fail(Mono<byte[]> exchange) {
		try {
			exchange.block(WAIT);
		}
		catch (NetworkException ex) {
			assertThat(ex.getCause()).as("cause").isNotNull();
			assertThat(ex.method()).isNotNull();
			assertThat(ex.url()).startsWith("tcp://127.0.0.1:");
			return ex;
		}
		throw new AssertionError("expected a NetworkException");
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Test
	void refusedConnectionIsRetriedWithBackoffThenFailsWithConnect() throws Exception {
		TcpConfig config = TcpConfig.builder()
			.host("127.0.0.1")
			.port(freePort())
			.retries(3)
			.retryDelay(Duration.ofMillis(50))
			.retryBackoffMultiplier(2)
			.build();
		try (TcpClient client = TcpClient.create(config)) {
			long start = System.nanoTime();
			NetworkException ex = fail(client, "x");
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(ex.kind()).isEqualTo(NetworkException.Kind.CONNECT);
			assertThat(ex).hasMessageContaining("could not connect");
			assertThat(millis).as("50 + 100 + 200 ms of backoff").isGreaterThanOrEqualTo(350);
		}
	}

	@Test
	void refusedThenAcceptedSucceedsOnReconnect() throws Exception {
		int port = freePort();
		TcpConfig config = TcpConfig.builder().host("127.0.0.1").port(port).retries(10)
			.retryDelay(Duration.ofMillis(100)).retryBackoffMultiplier(1).build();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (TcpClient client = TcpClient.builder().config(config).meterRegistry(meters).build()) {
			Mono<byte[]> exchange = client.send(bytes("late")).cache();
			Disposable subscription = exchange.subscribe(null, (ex) -> { });
			// The server comes up only once an attempt was refused.
			awaitUntil(() -> {
				var refused = meters.find("pepperpy.tcp.client.errors").tag("kind", "CONNECT").counter();
				return refused != null && refused.count() >= 1;
			});
			try (ServerSocket late = new ServerSocket()) {
				late.setReuseAddress(true);
				late.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
				Thread thread = new Thread(() -> {
					try (java.net.Socket socket = late.accept()) {
						String line = TestServer.readLine(socket.getInputStream());
						socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
						socket.getOutputStream().flush();
						socket.getInputStream().read();
					}
					catch (java.io.IOException ex) {
						// client closed
					}
				});
				thread.setDaemon(true);
				thread.start();
				assertThat(new String(exchange.block(WAIT), StandardCharsets.UTF_8)).isEqualTo("late");
			}
			subscription.dispose();
		}
	}

	/**
	 * Issue 25's load on TCP: 200 exchanges at once against a server that closes the connection on every request,
	 * 20 permits per second, 2 retries. The exchanges still waiting for a permit when the circuit opens fail at
	 * once and give their slots back.
	 */
	@Test
	void anOpeningCircuitFailsTheExchangesWaitingForAPermitAtOnceAndTheyGiveTheirSlotsBack() throws Exception {
		Duration openFor = Duration.ofSeconds(1);
		CircuitBreakerSettings settings = new CircuitBreakerSettings(true, 50, 100, Duration.ofSeconds(10), 10,
				SlidingWindowType.COUNT_BASED, 10, openFor, 1);
		AtomicInteger requests = new AtomicInteger();
		AtomicBoolean healthy = new AtomicBoolean();
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		Logger logger = (Logger) LoggerFactory.getLogger(TcpClient.class.getName() + ".default");
		log.start();
		logger.addAppender(log);
		try (TestServer server = TestServer.start((socket, in, out) -> {
			String line;
			while ((line = TestServer.readLine(in)) != null) {
				requests.incrementAndGet();
				if (!healthy.get()) {
					return;
				}
				out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
				out.flush();
			}
		}); TcpClient client = TcpClient.create(server.config()
			.readTimeout(Duration.ofSeconds(1))
			.retries(2)
			.retryDelay(Duration.ofMillis(10))
			.idempotent(true)
			.maxRateLimit(20)
			.rateLimitTimeout(Duration.ofSeconds(30))
			.circuitBreaker(settings)
			.build())) {
			try (TcpClient warm = TcpClient.create(server.config().build())) {
				// Warm the JVM and the server up, so that the opening comes with about one attempt on the wire.
				Flux.range(0, 20).flatMap((i) -> warm.send(bytes("warm")).onErrorComplete()).blockLast();
			}
			requests.set(0);
			List<Object[]> exchanges = Flux.range(0, 200)
				.flatMap((i) -> client.send(bytes("ping"))
					.map(Object.class::cast)
					.onErrorResume(NetworkException.class, (ex) -> Mono.just(ex.kind()))
					.map((outcome) -> new Object[] { outcome, System.currentTimeMillis() }), 200)
				.take(Duration.ofSeconds(10))
				.collectList()
				.block(Duration.ofSeconds(30));
			List<ILoggingEvent> openings = log.list.stream()
				.filter((event) -> event.getFormattedMessage().contains("circuit breaker opened"))
				.toList();
			assertThat(openings).as("the circuit opened once, and no late result opened it again").hasSize(1);
			long opened = openings.get(0).getTimeStamp();
			assertThat(requests.get()).as("requests that reached the server").isLessThanOrEqualTo(20);
			assertThat(exchanges).hasSize(200)
				.filteredOn((exchange) -> exchange[0] == NetworkException.Kind.CIRCUIT_OPEN)
				.hasSizeGreaterThanOrEqualTo(180)
				.allSatisfy((exchange) -> assertThat((long) exchange[1] - opened)
					.as("how long after the circuit opened a CIRCUIT_OPEN exchange ended (see the HTTP test)")
					.isLessThanOrEqualTo(OPENING_SLACK_MILLIS));
			// Once the circuit closes, an exchange waits no longer than the rate asks, not behind the slots the
			// refused attempts had reserved.
			healthy.set(true);
			// Waits out the open state on purpose: resilience4j turns half-open only when a call comes after it, so
			// there is no state to poll before.
			Thread.sleep(Math.max(0, opened + openFor.toMillis() + 100 - System.currentTimeMillis()));
			long start = System.nanoTime();
			assertThat(new String(client.send(bytes("probe")).block(WAIT), StandardCharsets.UTF_8)).isEqualTo("probe");
			assertThat(new String(client.send(bytes("next")).block(WAIT), StandardCharsets.UTF_8)).isEqualTo("next");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
		}
		finally {
			logger.detachAppender(log);
		}
	}

	@Test
	void aCircuitBreakerOpensOnFailuresFailsAtOnceAndClosesAfterAProbe() throws Exception {
		CircuitBreakerSettings quick = new CircuitBreakerSettings(true, 50, 100, Duration.ofSeconds(10), 3,
				SlidingWindowType.COUNT_BASED, 3, Duration.ofMillis(300), 1);
		AtomicInteger requests = new AtomicInteger();
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (TestServer server = TestServer.start((socket, in, out) -> {
			while (TestServer.readLine(in) != null) {
				if (requests.incrementAndGet() <= 3) {
					continue;
				}
				out.write("ok\n".getBytes(StandardCharsets.UTF_8));
				out.flush();
			}
		}); TcpClient client = TcpClient.builder()
			.config(server.config().readTimeout(Duration.ofMillis(150)).retries(0).circuitBreaker(quick).build())
			.meterRegistry(meters)
			.build()) {
			for (int i = 0; i < 3; i++) {
				assertThat(fail(client, "ping").kind()).isEqualTo(NetworkException.Kind.TIMEOUT);
			}
			long start = System.nanoTime();
			assertThatExceptionOfType(NetworkException.class)
				.isThrownBy(() -> client.send(bytes("ping")).block(Duration.ofSeconds(5)))
				.satisfies((open) -> assertThat(open.kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN))
				.withMessageContaining("TCP client 'default'")
				.withMessageContaining("circuit breaker is open");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
			assertThat(requests.get()).isEqualTo(3);
			assertThat(meters.get("pepperpy.tcp.client.circuit.state").tag("state", "open").gauge().value()).isEqualTo(1);
			assertThat(meters.get("pepperpy.tcp.client.circuit.not.permitted").counter().count()).isEqualTo(1);
			// Waits out the 300 ms open state on purpose: resilience4j turns half-open only when a call comes after
			// it, so there is no state to poll before.
			Thread.sleep(400);
			assertThat(new String(client.exchange(bytes("ping")).retrieve().block(Duration.ofSeconds(5)),
					StandardCharsets.UTF_8)).isEqualTo("ok");
			assertThat(client.exchange(bytes("ping")).retrieve().block(Duration.ofSeconds(5))).isNotNull();
		}
	}

	@Test
	void resetAfterTheRequestIsNotRetriedUnlessIdempotent() throws Exception {
		AtomicInteger requests = new AtomicInteger();
		try (TestServer server = TestServer.start((socket, in, out) -> {
			TestServer.readLine(in);
			requests.incrementAndGet();
			socket.setSoLinger(true, 0);
			socket.close();
		}); TcpClient client = TcpClient.create(server.config().retries(2).build())) {
			NetworkException ex = fail(client, "pay");
			assertThat(ex.kind()).isIn(NetworkException.Kind.IO, NetworkException.Kind.PROTOCOL);
			assertThat(ex).hasMessageContaining("not retried").hasMessageContaining("idempotent");
			assertThat(requests.get()).isEqualTo(1);
			NetworkException idempotent = fail(client.exchange(bytes("read")).idempotent().retrieve());
			assertThat(idempotent.kind()).isIn(NetworkException.Kind.IO, NetworkException.Kind.PROTOCOL);
			awaitUntil(() -> requests.get() == 4);
			awaitUntil(() -> server.open() == 0);
		}
	}

	@Test
	void idempotentExchangeIsRetriedOnANewConnectionAndSucceeds() throws Exception {
		AtomicInteger connections = new AtomicInteger();
		try (TestServer server = TestServer.start((socket, in, out) -> {
			if (connections.incrementAndGet() == 1) {
				TestServer.readLine(in);
				socket.setSoLinger(true, 0);
				return;
			}
			TestServer.echoLines(socket, in, out);
		}); TcpClient client = TcpClient.create(server.config().idempotent(true).build())) {
			assertThat(new String(client.send(bytes("get")).block(WAIT), StandardCharsets.UTF_8)).isEqualTo("get");
			assertThat(server.accepted()).isEqualTo(2);
		}
	}

	@Test
	void stalledServerTimesOutAtTheReadTimeoutAndTheConnectionIsClosed() throws Exception {
		try (TestServer server = TestServer.start((socket, in, out) -> {
			TestServer.readLine(in);
			in.read();
		}); TcpClient client = TcpClient
			.create(server.config().readTimeout(Duration.ofMillis(300)).retries(0).build())) {
			long start = System.nanoTime();
			NetworkException ex = fail(client, "hello");
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TIMEOUT);
			assertThat(ex).hasMessageContaining("read-timeout 300 ms");
			assertThat(millis).isBetween(250L, 3000L);
			awaitUntil(() -> server.open() == 0);
		}
	}

	/** Echoes lines, except "stall", which it reads and never answers. */
	private static void echoUnlessStall(java.net.Socket socket, java.io.InputStream in, java.io.OutputStream out)
			throws java.io.IOException {
		String line;
		while ((line = TestServer.readLine(in)) != null) {
			if (!line.equals("stall")) {
				out.write(bytes(line + "\n"));
				out.flush();
			}
		}
	}

	@Test
	void readTimeoutHoldsAfterManyExchangesOnTheSameConnection() throws Exception {
		// The connection's one timer fires while exchanges keep succeeding, and must still catch the stalled one.
		try (TestServer server = TestServer.start(TcpFaultTests::echoUnlessStall); TcpClient client = TcpClient
			.create(server.config().readTimeout(Duration.ofMillis(300)).poolSize(1).retries(0).build())) {
			long until = System.nanoTime() + Duration.ofMillis(800).toNanos();
			int exchanges = 0;
			while (System.nanoTime() < until) {
				assertThat(client.send(bytes("ping")).block(WAIT)).isEqualTo(bytes("ping"));
				exchanges++;
			}
			long start = System.nanoTime();
			NetworkException ex = fail(client, "stall");
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TIMEOUT);
			assertThat(ex).hasMessageContaining("read-timeout 300 ms");
			assertThat(millis).as("after %d exchanges", exchanges).isBetween(250L, 3000L);
			assertThat(server.accepted()).as("one connection served them all").isEqualTo(1);
		}
	}

	@Test
	void shorterReadTimeoutOfOneExchangeIsNotHeldBackByTheConnectionsLongerOne() throws Exception {
		try (TestServer server = TestServer.start(TcpFaultTests::echoUnlessStall); TcpClient client = TcpClient
			.create(server.config().readTimeout(Duration.ofSeconds(20)).poolSize(1).retries(0).build())) {
			assertThat(client.send(bytes("first")).block(WAIT)).isEqualTo(bytes("first"));
			long start = System.nanoTime();
			NetworkException ex = fail(client.exchange(bytes("stall")).readTimeout(Duration.ofMillis(300)).retrieve());
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TIMEOUT);
			assertThat(ex).hasMessageContaining("read-timeout 300 ms");
			assertThat(millis).isBetween(250L, 3000L);
			assertThat(server.accepted()).as("the stalled exchange ran on the first one's connection").isEqualTo(1);
		}
	}

	@Test
	void halfCloseBeforeTheResponseIsAProtocolError() throws Exception {
		try (TestServer server = TestServer.start((socket, in, out) -> {
			TestServer.readLine(in);
			out.write(bytes("partial without newline"));
			out.flush();
			socket.shutdownOutput();
			in.read();
		}); TcpClient client = TcpClient.create(server.config().retries(0).build())) {
			NetworkException ex = fail(client, "hello");
			assertThat(ex.kind()).isEqualTo(NetworkException.Kind.PROTOCOL);
			assertThat(ex).hasMessageContaining("closed before a complete response frame");
			awaitUntil(() -> server.open() == 0);
		}
	}

	@Test
	void oversizedResponseFrameIsRefusedAndTheConnectionClosed() throws Exception {
		try (TestServer server = TestServer.start((socket, in, out) -> {
			TestServer.readLine(in);
			out.write(new byte[4096]);
			out.write('\n');
			out.flush();
			in.read();
		}); TcpClient client = TcpClient.create(server.config().maxFrameLength(1024).idempotent(true).build())) {
			NetworkException ex = fail(client, "hello");
			assertThat(ex.kind()).isEqualTo(NetworkException.Kind.BODY_TOO_LARGE);
			assertThat(ex).hasMessageContaining("max-frame-length 1024");
			assertThat(server.accepted()).as("not retried").isEqualTo(1);
			awaitUntil(() -> server.open() == 0);
		}
	}

	@Test
	void oversizedLengthPrefixIsRefusedBeforeTheBodyArrives() throws Exception {
		try (TestServer server = TestServer.start((socket, in, out) -> {
			new java.io.DataInputStream(in).readInt();
			new java.io.DataOutputStream(out).writeInt(100_000_000);
			out.flush();
			in.read();
		}); TcpClient client = TcpClient.create(server.config()
			.framing(Framing.LENGTH_PREFIXED)
			.maxFrameLength(1024)
			.build())) {
			NetworkException ex = fail(client, "");
			assertThat(ex.kind()).isEqualTo(NetworkException.Kind.BODY_TOO_LARGE);
		}
	}

	@Test
	void oversizedRequestFrameIsRefusedBeforeConnecting() throws Exception {
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.create(server.config().maxFrameLength(8).build())) {
			NetworkException ex = fail(client, "123456789");
			assertThat(ex.kind()).isEqualTo(NetworkException.Kind.BODY_TOO_LARGE);
			assertThat(ex).hasMessageContaining("nothing was sent");
			assertThat(server.accepted()).isZero();
		}
	}

	@Test
	void rawResponseLargerThanTheMaximumIsRefused() throws Exception {
		try (TestServer server = TestServer.start((socket, in, out) -> {
			in.readAllBytes();
			out.write(new byte[10_000]);
			out.flush();
		}); TcpClient client = TcpClient.create(server.config().framing(Framing.RAW).maxFrameLength(1000).build())) {
			assertThat(fail(client, "x").kind()).isEqualTo(NetworkException.Kind.BODY_TOO_LARGE);
		}
	}

	@Test
	void serverThatDoesNotReadTripsTheWriteTimeout() throws Exception {
		// The server never reads (a fault on purpose), so the client's writes fill the socket buffers.
		try (TestServer server = TestServer.start((socket, in, out) -> Thread.sleep(20_000), 4096);
				TcpClient client = TcpClient.create(server.config()
					.framing(Framing.LENGTH_PREFIXED)
					.maxFrameLength(64 * 1024 * 1024)
					.writeTimeout(Duration.ofMillis(500))
					.retries(0)
					.build())) {
			long start = System.nanoTime();
			NetworkException ex = fail(client.send(new byte[48 * 1024 * 1024]));
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TIMEOUT);
			assertThat(ex).hasMessageContaining("write-timeout 500 ms");
			assertThat(millis).isLessThan(5000);
		}
	}

	@Test
	void cancellingAnExchangeClosesItsConnection() throws Exception {
		AtomicBoolean received = new AtomicBoolean();
		try (TestServer server = TestServer.start((socket, in, out) -> {
			TestServer.readLine(in);
			received.set(true);
			in.read();
		}); TcpClient client = TcpClient.create(server.config().readTimeout(Duration.ofSeconds(20)).build())) {
			Disposable exchange = client.send(bytes("slow")).subscribe();
			awaitUntil(received::get);
			exchange.dispose();
			awaitUntil(() -> server.open() == 0);
		}
	}

	@Test
	void deadlineBoundsRetriesAndBackoff() throws Exception {
		TcpConfig config = TcpConfig.builder()
			.host("127.0.0.1")
			.port(freePort())
			.retries(100)
			.retryDelay(Duration.ofMillis(100))
			.retryBackoffMultiplier(1)
			.deadline(Duration.ofMillis(400))
			.build();
		try (TcpClient client = TcpClient.create(config)) {
			long start = System.nanoTime();
			NetworkException ex = fail(client, "x");
			long millis = (System.nanoTime() - start) / 1_000_000;
			assertThat(ex.kind()).isIn(NetworkException.Kind.TIMEOUT, NetworkException.Kind.CONNECT);
			assertThat(millis).isLessThan(2000);
		}
	}

	@Test
	void unsolicitedFrameClosesTheConnectionInsteadOfAnsweringTheNextExchange() throws Exception {
		try (TestServer server = TestServer.start((socket, in, out) -> {
			TestServer.readLine(in);
			out.write(bytes("reply\nextra\n"));
			out.flush();
			TestServer.echoLines(socket, in, out);
		}); TcpClient client = TcpClient.create(server.config().build())) {
			assertThat(new String(client.send(bytes("a")).block(WAIT), StandardCharsets.UTF_8)).isEqualTo("reply");
			// The server's echo loop ends when the client closes its end: the client then no longer offers it.
			awaitUntil(() -> server.open() == 0 || server.accepted() > 1);
			byte[] next = client.send(bytes("b")).block(WAIT);
			assertThat(new String(next, StandardCharsets.UTF_8)).isNotEqualTo("extra");
		}
	}

	@Test
	void poolExhaustionWaitsAtMostTheConnectTimeout() throws Exception {
		try (TestServer server = TestServer.start((socket, in, out) -> {
			TestServer.readLine(in);
			in.read();
		}); TcpClient client = TcpClient.create(server.config()
			.poolSize(1)
			.connectTimeout(Duration.ofMillis(300))
			.readTimeout(Duration.ofSeconds(5))
			.retries(0)
			.build())) {
			Disposable first = client.send(bytes("busy")).subscribe(null, (ex) -> { });
			awaitUntil(() -> server.open() == 1);
			NetworkException ex = fail(client, "second");
			assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TIMEOUT);
			assertThat(ex).hasMessageContaining("no pooled connection became free");
			first.dispose();
		}
	}

}
