package io.pepperpy.network.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.http.Fault;
import io.pepperpy.network.NetworkException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Every fault shape, injected on the wire, for GET, PUT, DELETE and POST, with and without retries. Each cell
 * ends within a computed bound with a typed {@link NetworkException} that carries its cause, sends a POST once
 * unless it never left, and leaves no connection acquired or pending in the pool.
 */
class FaultMatrixTests {

	private static final Duration TIMEOUT = Duration.ofMillis(600);

	private static final Duration CONNECT_TIMEOUT = Duration.ofMillis(300);

	private static final Duration RETRY_DELAY = Duration.ofMillis(10);

	private static FaultServer faults;

	@RegisterExtension
	static final LoopbackWireMock wiremock = new LoopbackWireMock();

	private static ServerSocket blackHole;

	private static final List<Socket> backlog = new ArrayList<>();

	private static int closedPort;

	/**
	 * How a fault is expected to end.
	 *
	 * @param kinds the acceptable {@link NetworkException.Kind}s
	 * @param reachesServer whether the request may have reached the server (so POST is not retried)
	 * @param retryable whether the policy retries it for idempotent methods
	 * @param status the expected status for status faults, 0 otherwise
	 */
	record Expectation(Set<NetworkException.Kind> kinds, boolean reachesServer, boolean retryable, int status) {
	}

	enum Cell {

		CONNECTION_REFUSED(new Expectation(Set.of(NetworkException.Kind.CONNECT), false, true, 0)),
		CONNECT_TIMEOUT(new Expectation(Set.of(NetworkException.Kind.CONNECT), false, true, 0)),
		// The reset may come while the client is still finishing the connect: then nothing was sent (CONNECT).
		RESET_AT_START(new Expectation(
				Set.of(NetworkException.Kind.CONNECT, NetworkException.Kind.PROTOCOL, NetworkException.Kind.IO), true,
				true, 0)),
		CLOSE_BEFORE_RESPONSE(transport()),
		WIREMOCK_EMPTY_RESPONSE(transport()),
		RESET_BY_PEER(transport()),
		MALFORMED_CHUNK(transport()),
		RANDOM_DATA_THEN_CLOSE(transport()),
		STALL_BEFORE_HEADERS(timeout()),
		SLOW_HEADERS(timeout()),
		DRIBBLED_BODY(timeout()),
		DISCONNECT_MID_BODY(transport()),
		NOT_READING_UPLOAD(timeout()),
		STATUS_500(status(500)),
		STATUS_502(status(502)),
		STATUS_503(status(503)),
		STATUS_504(status(504)),
		STATUS_429(status(429)),
		STATUS_503_RETRY_AFTER(status(503)),
		STATUS_429_RETRY_AFTER(status(429)),
		REDIRECT_NOT_FOLLOWED(new Expectation(Set.of(NetworkException.Kind.STATUS), true, false, 302));

		final Expectation expectation;

		Cell(Expectation expectation) {
			this.expectation = expectation;
		}

		private static Expectation transport() {
			return new Expectation(Set.of(NetworkException.Kind.PROTOCOL, NetworkException.Kind.IO), true, true, 0);
		}

		private static Expectation timeout() {
			return new Expectation(Set.of(NetworkException.Kind.TIMEOUT), true, true, 0);
		}

		private static Expectation status(int status) {
			return new Expectation(Set.of(NetworkException.Kind.STATUS), true, true, status);
		}

	}

	@BeforeAll
	static void startServers() throws IOException {
		faults = new FaultServer();
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		// A listener whose accept queue is full: new connections get no SYN-ACK, so connecting times out.
		blackHole = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		for (int i = 0; i < 16; i++) {
			Socket socket = new Socket();
			try {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), blackHole.getLocalPort()), 200);
				backlog.add(socket);
			}
			catch (IOException ex) {
				socket.close();
				break;
			}
		}
		warmUp();
	}

	/**
	 * The first request of a JVM loads Netty's native transport and classes: keep it out of the timed cells.
	 */
	private static void warmUp() {
		faults.shape(FaultServer.Shape.OK);
		try (HttpClient client = HttpClient.create(HttpConfig.builder().baseUrl(faults.baseUrl()).build())) {
			client.get("/warm-up").retrieve().block(Duration.ofSeconds(30));
		}
	}

	@AfterAll
	static void stopServers() throws IOException {
		faults.close();
		for (Socket socket : backlog) {
			socket.close();
		}
		blackHole.close();
	}

	static Stream<Arguments> cells() {
		List<Arguments> cells = new ArrayList<>();
		for (Cell cell : Cell.values()) {
			for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.POST)) {
				for (int retries : new int[] { 0, 2 }) {
					cells.add(Arguments.of(cell, method, retries));
				}
			}
		}
		return cells.stream();
	}

	@ParameterizedTest(name = "{0} {1} retries={2}")
	@MethodSource("cells")
	void everyCellEndsTypedBoundedAndClean(Cell cell, HttpMethod method, int retries) {
		String baseUrl = prepare(cell);
		HttpConfig config = HttpConfig.builder()
			.baseUrl(baseUrl)
			.timeout(TIMEOUT)
			.connectTimeout(CONNECT_TIMEOUT)
			.retries(retries)
			.retryDelay(RETRY_DELAY)
			.retryAfterMax(Duration.ofSeconds(5))
			.build();
		String id = UUID.randomUUID().toString();
		boolean idempotent = method != HttpMethod.POST;
		Expectation expected = cell.expectation;
		boolean retried = expected.retryable() && (idempotent || !expected.reachesServer());
		int attempts = retried ? retries + 1 : 1;
		// Each attempt may take its timeout (connect included) and a delay (Retry-After: 1 s at most here).
		Duration bound = TIMEOUT.plus(Duration.ofSeconds(1)).multipliedBy(attempts).plus(Duration.ofSeconds(3));
		long start = System.nanoTime();
		try (HttpClient client = HttpClient.create(config)) {
			HttpClient.RequestSpec spec = client.method(method, "/fault").header("X-Request-Id", id);
			if (method == HttpMethod.POST || method == HttpMethod.PUT) {
				int size = (cell == Cell.NOT_READING_UPLOAD) ? 8 * 1024 * 1024 : 64;
				spec.body(new byte[size], MediaType.APPLICATION_OCTET_STREAM);
			}
			Object result;
			try {
				result = spec.retrieve().timeout(bound, Mono.error(new AssertionError("cell hung past " + bound))).block();
				fail("expected a NetworkException but got " + result);
			}
			catch (NetworkException ex) {
				assertThat(expected.kinds()).as("kind of %s", ex).contains(ex.kind());
				if (expected.status() > 0) {
					assertThat(ex.status()).isEqualTo(expected.status());
				}
				else {
					assertThat(ex.getCause()).as("cause of %s", ex).isNotNull();
				}
				assertThat(ex.method()).isEqualTo(method.name());
				assertThat(ex.url()).startsWith(baseUrl);
			}
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound);
			int served = served(cell, id);
			if (expected.reachesServer() && cell != Cell.RESET_AT_START) {
				assertThat(served).as("requests the server saw").isEqualTo(attempts);
			}
			awaitPoolIdle(client);
		}
	}

	private static String prepare(Cell cell) {
		switch (cell) {
			case CONNECTION_REFUSED -> {
				return "http://127.0.0.1:" + closedPort;
			}
			case CONNECT_TIMEOUT -> {
				return "http://127.0.0.1:" + blackHole.getLocalPort();
			}
			case WIREMOCK_EMPTY_RESPONSE, STATUS_500, STATUS_502, STATUS_503, STATUS_504, STATUS_429,
					STATUS_503_RETRY_AFTER, STATUS_429_RETRY_AFTER -> {
				var response = switch (cell) {
					case WIREMOCK_EMPTY_RESPONSE -> aResponse().withFault(Fault.EMPTY_RESPONSE);
					case STATUS_503_RETRY_AFTER -> aResponse().withStatus(503).withHeader("Retry-After", "1");
					case STATUS_429_RETRY_AFTER -> aResponse().withStatus(429).withHeader("Retry-After", "0");
					default -> aResponse().withStatus(Integer.parseInt(cell.name().substring(7)));
				};
				wiremock.stubFor(any(anyUrl()).willReturn(response));
				return "http://127.0.0.1:" + wiremock.port();
			}
			default -> {
				faults.shape(switch (cell) {
					case RESET_AT_START -> FaultServer.Shape.RESET_AT_START;
					case CLOSE_BEFORE_RESPONSE -> FaultServer.Shape.CLOSE_BEFORE_RESPONSE;
					case RESET_BY_PEER -> FaultServer.Shape.RESET_AFTER_REQUEST;
					case MALFORMED_CHUNK -> FaultServer.Shape.MALFORMED_CHUNK;
					case RANDOM_DATA_THEN_CLOSE -> FaultServer.Shape.RANDOM_DATA_THEN_CLOSE;
					case STALL_BEFORE_HEADERS -> FaultServer.Shape.STALL_BEFORE_HEADERS;
					case SLOW_HEADERS -> FaultServer.Shape.SLOW_HEADERS;
					case DRIBBLED_BODY -> FaultServer.Shape.DRIBBLE_BODY;
					case DISCONNECT_MID_BODY -> FaultServer.Shape.DISCONNECT_MID_BODY;
					case NOT_READING_UPLOAD -> FaultServer.Shape.NOT_READING_UPLOAD;
					case REDIRECT_NOT_FOLLOWED -> FaultServer.Shape.REDIRECT;
					default -> throw new IllegalStateException(cell.name());
				});
				return faults.baseUrl();
			}
		}
	}

	private static int served(Cell cell, String id) {
		return switch (cell) {
			case WIREMOCK_EMPTY_RESPONSE, STATUS_500, STATUS_502, STATUS_503, STATUS_504, STATUS_429,
					STATUS_503_RETRY_AFTER, STATUS_429_RETRY_AFTER ->
				wiremock.findAll(anyRequestedFor(anyUrl()).withHeader("X-Request-Id", equalTo(id))).size();
			case CONNECTION_REFUSED, CONNECT_TIMEOUT -> 0;
			default -> faults.requests(id);
		};
	}

	static void awaitPoolIdle(HttpClient client) {
		await().pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(20))
			.atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> {
				HttpClientState state = client.state();
				assertThat(state.activeConnections()).as("connections still acquired").isZero();
				assertThat(state.pendingAcquires()).as("acquires still pending").isZero();
			});
	}

}
