package io.pepperpy.network.tcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.handler.codec.LineBasedFrameDecoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpServer;

/**
 * Exchange throughput of {@link TcpClient} against plain Reactor Netty TCP, on the same loopback line echo
 * server, with the same number of connections and exchanges in flight. Not a test and not run by the build:
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -pl pepperpy-network-autoconfigure \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
 * cd pepperpy-network-autoconfigure
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     io.pepperpy.network.tcp.TcpThroughputBenchmark
 * </pre>
 * (or run the class from an IDE). Runs are interleaved (plain, pepperpy, plain, ...) and the reported ratio is
 * the median of the per-pair ratios, so that drift in machine load hits both sides alike.
 */
public final class TcpThroughputBenchmark {

	private static final int CONNECTIONS = 8;

	private static final int PAIRS = 5;

	private static final Duration WARM_UP = Duration.ofSeconds(2);

	private static final Duration RUN = Duration.ofSeconds(4);

	private static final byte[] MESSAGE = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

	private TcpThroughputBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		DisposableServer server = TcpServer.create()
			.host("127.0.0.1")
			.port(0)
			.doOnConnection((connection) -> connection.addHandlerLast(new LineBasedFrameDecoder(1024, false, true)))
			.handle((in, out) -> out.send(in.receive().retain()))
			.bindNow();
		TcpClient client = TcpClient.create(TcpConfig.builder()
			.host("127.0.0.1")
			.port(server.port())
			.poolSize(CONNECTIONS)
			.maxFrameLength(1024)
			.build());
		try {
			pepperpy(client, WARM_UP);
			plain(server.port(), WARM_UP);
			double[] ratios = new double[PAIRS];
			for (int i = 0; i < PAIRS; i++) {
				double plain = plain(server.port(), RUN);
				double ours = pepperpy(client, RUN);
				ratios[i] = ours / plain;
				System.out.printf("pair %d: plain Reactor Netty %.0f exchanges/s, TcpClient %.0f exchanges/s, ratio %.3f%n",
						i + 1, plain, ours, ratios[i]);
			}
			Arrays.sort(ratios);
			System.out.printf("median ratio TcpClient / plain Reactor Netty: %.3f (%d connections, %d-byte frames)%n",
					ratios[PAIRS / 2], CONNECTIONS, MESSAGE.length);
		}
		finally {
			client.close();
			server.disposeNow();
		}
	}

	private static double pepperpy(TcpClient client, Duration duration) {
		long start = System.nanoTime();
		Long count = Flux.range(0, Integer.MAX_VALUE)
			.flatMap((i) -> client.send(MESSAGE), CONNECTIONS)
			.take(duration)
			.count()
			.block();
		return count / ((System.nanoTime() - start) / 1e9);
	}

	/**
	 * The same ping-pong with Reactor Netty alone: one connection per lane, a frame sent as soon as the previous
	 * reply arrived, no pool, timeouts, retries or metrics.
	 */
	private static double plain(int port, Duration duration) throws InterruptedException {
		reactor.netty.tcp.TcpClient tcp = reactor.netty.tcp.TcpClient.create(ConnectionProvider.newConnection())
			.host("127.0.0.1")
			.port(port)
			.doOnConnected((connection) -> connection.addHandlerLast(new LineBasedFrameDecoder(1024)));
		byte[] frame = Arrays.copyOf(MESSAGE, MESSAGE.length + 1);
		frame[MESSAGE.length] = '\n';
		AtomicLong count = new AtomicLong();
		CountDownLatch done = new CountDownLatch(CONNECTIONS);
		List<Connection> connections = new ArrayList<>();
		long end = System.nanoTime() + duration.toNanos();
		long start = System.nanoTime();
		for (int i = 0; i < CONNECTIONS; i++) {
			Connection connection = tcp.connectNow();
			connections.add(connection);
			Sinks.Many<byte[]> outbound = Sinks.many().unicast().onBackpressureBuffer();
			connection.outbound().sendByteArray(outbound.asFlux()).then().subscribe();
			connection.inbound().receive().asByteArray().subscribe((reply) -> {
				count.incrementAndGet();
				if (System.nanoTime() < end) {
					outbound.tryEmitNext(frame);
				}
				else {
					done.countDown();
				}
			});
			outbound.tryEmitNext(frame);
		}
		done.await(duration.toSeconds() + 10, TimeUnit.SECONDS);
		double rate = count.get() / ((System.nanoTime() - start) / 1e9);
		connections.forEach(Connection::disposeNow);
		return rate;
	}

}
