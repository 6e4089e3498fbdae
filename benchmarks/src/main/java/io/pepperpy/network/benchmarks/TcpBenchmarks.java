package io.pepperpy.network.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.LineBasedFrameDecoder;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpServer;

import io.pepperpy.network.tcp.TcpClient;
import io.pepperpy.network.tcp.TcpConfig;

/**
 * Part (i), issue 8: request/response exchanges per second and client CPU per exchange of {@link TcpClient}
 * against plain Reactor Netty TCP, on a line echo server in another JVM ({@code run.sh} pins it to the server
 * CPU, this JVM to the client CPU). Both arms keep {@value #CONNECTIONS} connections busy and start the next
 * exchange on a connection as soon as the previous reply arrived, so neither pays for a driver operator. Runs are
 * interleaved (plain, ours, plain, ...) and each metric is the median of the per-pair ratios.
 * <p>
 * {@code TcpBenchmarks server PORT} runs the echo server; {@code TcpBenchmarks PORT} runs the client side;
 * {@code TcpBenchmarks PORT plain|ours|bare SECONDS} runs one arm alone (to profile it). "ours" records its meters
 * in a registry, as the auto-configured client does; "bare" has none.
 */
public final class TcpBenchmarks {

	static final int CONNECTIONS = 8;

	private static final byte[] MESSAGE = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

	private TcpBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length == 2 && args[0].equals("server")) {
			DisposableServer server = TcpServer.create()
				.host("127.0.0.1")
				.port(Integer.parseInt(args[1]))
				.doOnConnection((connection) -> connection.addHandlerLast(new LineBasedFrameDecoder(1024, false, true)))
				.handle((in, out) -> out.send(in.receive().retain()))
				.bindNow();
			LoadBenchmarks.log("tcp echo server on port %d", server.port());
			server.onDispose().block();
			return;
		}
		int port = Integer.parseInt(args[0]);
		RawResults raw = new RawResults(Settings.RAW);
		// Many short interleaved rounds rather than a few long ones: the median of the per-round ratios then
		// shrugs off a round that met a burst of other work on the machine.
		int pairs = Settings.count(9, 2);
		Duration run = Duration.ofMillis(Settings.QUICK ? 500 : 2_000);
		TcpConfig config = TcpConfig.builder()
			.host("127.0.0.1")
			.port(port)
			.poolSize(CONNECTIONS)
			.maxFrameLength(1024)
			.build();
		// As auto-configured (meters in the application's registry), and without a registry.
		TcpClient client = TcpClient.builder().config(config).meterRegistry(new SimpleMeterRegistry()).build();
		TcpClient bare = TcpClient.create(config);
		try {
			if (args.length == 3) {
				// profiling aid: one arm alone for the given seconds
				Duration alone = Duration.ofSeconds(Long.parseLong(args[2]));
				Result result = switch (args[1]) {
					case "plain" -> plain(port, alone);
					case "bare" -> ours(bare, alone);
					default -> ours(client, alone);
				};
				LoadBenchmarks.log("tcp %s alone: %.0f/s, %.1f µs CPU per exchange", args[1], result.rate(),
						result.cpuMicros());
				return;
			}
			Duration warmUp = Duration.ofMillis(Settings.QUICK ? 500 : 3_000);
			ours(client, warmUp);
			ours(bare, warmUp);
			plain(port, warmUp);
			double[] rateRatios = new double[pairs];
			double[] cpuRatios = new double[pairs];
			for (int round = 1; round <= pairs; round++) {
				Result plain = plain(port, run);
				Result ours = ours(client, run);
				Result oursBare = ours(bare, run);
				record("PLAIN_NETTY", plain, raw, round);
				record("TCP_CLIENT", ours, raw, round);
				record("TCP_CLIENT_NO_METERS", oursBare, raw, round);
				rateRatios[round - 1] = ours.rate() / plain.rate();
				cpuRatios[round - 1] = ours.cpuMicros() / plain.cpuMicros();
				LoadBenchmarks.log("tcp round %d: plain Reactor Netty %.0f/s %.1f µs CPU, TcpClient %.0f/s %.1f µs CPU "
						+ "(ratio %.3f throughput, %.3f CPU), without meters %.0f/s %.1f µs CPU", round, plain.rate(),
						plain.cpuMicros(), ours.rate(), ours.cpuMicros(), rateRatios[round - 1], cpuRatios[round - 1],
						oursBare.rate(), oursBare.cpuMicros());
			}
			LoadBenchmarks.log("tcp median ratios TcpClient / plain Reactor Netty: throughput %.3f, CPU per exchange %.3f",
					median(rateRatios), median(cpuRatios));
		}
		finally {
			client.close();
			bare.close();
		}
		LoadBenchmarks.log("done");
		System.exit(0);
	}

	private static void record(String arm, Result result, RawResults raw, int round) {
		raw.add("tcp", arm, "-", "c" + CONNECTIONS, round, "exchanges_per_s", result.rate());
		raw.add("tcp", arm, "-", "c" + CONNECTIONS, round, "cpu_us_per_exchange", result.cpuMicros());
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	record Result(long exchanges, long nanos, long cpuNanos) {

		double rate() {
			return this.exchanges / (this.nanos / 1e9);
		}

		double cpuMicros() {
			return this.cpuNanos / 1e3 / Math.max(1, this.exchanges);
		}

	}

	/**
	 * Ours: one lane per connection, the next exchange started from the reply's callback.
	 */
	private static Result ours(TcpClient client, Duration duration) throws InterruptedException {
		AtomicLong count = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		CountDownLatch done = new CountDownLatch(CONNECTIONS);
		long end = System.nanoTime() + duration.toNanos();
		long cpu = CpuClock.processCpuNanos();
		long start = System.nanoTime();
		for (int i = 0; i < CONNECTIONS; i++) {
			lane(client, end, count, errors, done);
		}
		if (!done.await(duration.toSeconds() + 10, TimeUnit.SECONDS) || errors.get() > 0) {
			throw new IllegalStateException("TcpClient lanes did not finish: " + errors.get() + " errors");
		}
		return new Result(count.get(), System.nanoTime() - start, CpuClock.processCpuNanos() - cpu);
	}

	private static void lane(TcpClient client, long end, AtomicLong count, AtomicLong errors, CountDownLatch done) {
		client.send(MESSAGE).subscribe((reply) -> {
			count.incrementAndGet();
			if (System.nanoTime() < end) {
				lane(client, end, count, errors, done);
			}
			else {
				done.countDown();
			}
		}, (error) -> {
			errors.incrementAndGet();
			done.countDown();
		});
	}

	/**
	 * The same ping-pong with Reactor Netty alone: one connection per lane, a frame sent as soon as the previous
	 * reply arrived, no pool, timeouts, retries or metrics. Connections are opened before the clock starts.
	 */
	private static Result plain(int port, Duration duration) throws InterruptedException {
		reactor.netty.tcp.TcpClient tcp = reactor.netty.tcp.TcpClient.create(ConnectionProvider.newConnection())
			.host("127.0.0.1")
			.port(port)
			.doOnConnected((connection) -> connection.addHandlerLast(new LineBasedFrameDecoder(1024)));
		byte[] frame = Arrays.copyOf(MESSAGE, MESSAGE.length + 1);
		frame[MESSAGE.length] = '\n';
		AtomicLong count = new AtomicLong();
		CountDownLatch done = new CountDownLatch(CONNECTIONS);
		List<Connection> connections = new ArrayList<>();
		List<Sinks.Many<byte[]>> outbounds = new ArrayList<>();
		for (int i = 0; i < CONNECTIONS; i++) {
			connections.add(tcp.connectNow());
		}
		long end = System.nanoTime() + duration.toNanos();
		long cpu = CpuClock.processCpuNanos();
		long start = System.nanoTime();
		for (Connection connection : connections) {
			Sinks.Many<byte[]> outbound = Sinks.many().unicast().onBackpressureBuffer();
			outbounds.add(outbound);
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
			// The first frame is sent from the connection's event loop too: a reply racing the main thread's emission
			// would otherwise meet a sink busy on another thread and be dropped (FAIL_NON_SERIALIZED).
			connection.channel().eventLoop().execute(() -> outbound.tryEmitNext(frame));
		}
		if (!done.await(duration.toSeconds() + 10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("plain Reactor Netty lanes did not finish");
		}
		Result result = new Result(count.get(), System.nanoTime() - start, CpuClock.processCpuNanos() - cpu);
		connections.forEach(Connection::disposeNow);
		return result;
	}

}
