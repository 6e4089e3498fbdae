package io.pepperpy.network.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

import io.pepperpy.network.http.ConnectionPool;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Part (h), large bodies and many in flight. Every measurement runs in a child JVM of its own, so its heap and thread
 * figures hold nothing but that measurement:
 * <ul>
 * <li>a 1 GiB body ({@code /big}) downloaded to a file in a JVM with {@code -Xmx64m}, by our
 * {@code HttpClient.download(Path)} and by plain WebClient's {@code bodyToFlux(DataBuffer.class)} written with
 * {@code DataBufferUtils.write}, arms interleaved (A B A B);</li>
 * <li>1,000 and 10,000 GETs of {@code /json} fired at once by our client while the server is stopped, so all are in
 * flight together, interleaved with 10,000 by plain WebClient (information, not in QUICK runs), then 10,000 by ours
 * with the pool defaults (information): completions, errors by kind, peak live threads, heap, time.</li>
 * </ul>
 * The parent (no arguments) launches the children, reads the one {@code RESULT} line each prints and appends it to
 * the raw measurements. The child JVMs inherit the parent's CPU affinity ({@code taskset}).
 */
public final class StreamingBenchmarks {

	static final long BIG_BYTES = 1L << 30;

	/**
	 * The heap of the download children: the 64 MB.
	 */
	static final String DOWNLOAD_HEAP = "-Xmx64m";

	/**
	 * The heap of the in-flight children: 10,000 requests waiting at once hold about 7 KB each in WebClient and
	 * Reactor Netty (request, headers, connector configuration, timers), more than 64 MB in all.
	 */
	static final String INFLIGHT_HEAP = "-Xmx256m";

	/**
	 * The pool for the in-flight runs: the default 500 connections, no limit on requests waiting for one, and a
	 * wait long enough for 10,000 to drain through them.
	 */
	static final ConnectionPool UNBOUNDED_QUEUE = new ConnectionPool(ConnectionPool.DEFAULTS.maxConnections(), -1,
			Duration.ofSeconds(60), ConnectionPool.DEFAULTS.maxIdleTime(), ConnectionPool.DEFAULTS.maxLifeTime(),
			ConnectionPool.DEFAULTS.evictionInterval());

	private static final double MB = 1024.0 * 1024.0;

	private StreamingBenchmarks() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("download")) {
			download(args[1]);
		}
		else if (args.length > 0 && args[0].equals("inflight")) {
			inFlight(args[1], Integer.parseInt(args[2]), args[3].equals("defaults"));
		}
		else {
			parent();
		}
		System.exit(0);
	}

	// parent ------------------------------------------------------------------------------------------------

	private static void parent() throws Exception {
		RawResults raw = new RawResults(Settings.RAW);
		int pairs = Settings.count(3, 1);
		if (!Settings.QUICK) {
			// unrecorded: brings the class path and nginx's file into the page cache
			launch(DOWNLOAD_HEAP, "download", "OURS");
		}
		for (int round = 1; round <= pairs; round++) {
			for (String arm : List.of("OURS", "WEBCLIENT")) {
				Map<String, String> result = launch(DOWNLOAD_HEAP, "download", arm);
				record(raw, "download", arm, "1GiB", round, result);
				LoadBenchmarks.log("download round %d %s: %s MB/s, peak heap %s MB, heap after GC max %s MB, "
						+ "direct max %s MB, %s GCs, %s", round, arm, result.get("mbps"), result.get("heap_peak_mb"),
						result.get("heap_after_gc_max_mb"), result.get("direct_max_mb"), result.get("gc_count"),
						result.getOrDefault("error", "ok"));
			}
		}
		// 1,000 in flight once (it only shows the pool's queue at a smaller scale), 10,000 in every round
		inFlightRound(raw, "OURS", 1_000, "queue", 1);
		for (int round = 1; round <= pairs; round++) {
			inFlightRound(raw, "OURS", 10_000, "queue", round);
			if (!Settings.QUICK && round == 1) {
				// information only, so once: it keeps the harness within 15 minutes on a slow day (run 10: 883 s)
				inFlightRound(raw, "WEBCLIENT", 10_000, "queue", round);
			}
		}
		inFlightRound(raw, "OURS", 10_000, "defaults", 1);
		LoadBenchmarks.log("done");
	}

	private static void inFlightRound(RawResults raw, String arm, int requests, String pool, int round)
			throws Exception {
		Map<String, String> result = launch(INFLIGHT_HEAP, "inflight", arm, Integer.toString(requests), pool);
		String param = requests + "|" + pool;
		record(raw, "inflight", arm, param, round, result);
		LoadBenchmarks.log("in flight round %d %s, %d requests, pool %s: %s ok, %s failed %s, max in flight %s, "
				+ "max waiting %s, peak threads %s (%s before), peak heap %s MB, heap after GC max %s MB, %s ms "
				+ "(firing %s ms)", round, arm, requests, pool,
				result.get("ok"), result.get("failed"), result.getOrDefault("failures", ""),
				result.get("max_in_flight"), result.get("max_pending"), result.get("peak_threads"),
				result.get("threads_before"), result.get("heap_peak_mb"), result.get("heap_after_gc_max_mb"),
				result.get("wall_ms"), result.get("fire_ms"));
		if (result.containsKey("error")) {
			LoadBenchmarks.log("  failed: %s", result.get("error"));
		}
		if (result.containsKey("thread_names")) {
			LoadBenchmarks.log("  threads at the end: %s", result.get("thread_names"));
		}
	}

	private static void record(RawResults raw, String part, String arm, String param, int round,
			Map<String, String> result) {
		result.forEach((metric, value) -> {
			try {
				raw.add(part, arm, "-", param, round, metric, Double.parseDouble(value));
			}
			catch (NumberFormatException ex) {
				// text fields (error, thread names) go to the log only
			}
		});
	}

	/**
	 * Run one child JVM and return the key=value pairs of its {@code RESULT} line; a child that fails or hangs
	 * yields {@code completed=0} and the reason.
	 */
	private static Map<String, String> launch(String heap, String... args) throws Exception {
		String javaCommand = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(javaCommand, heap, "-XX:+UseSerialGC",
				"-Dbench.url=" + Settings.URL, "-Dbench.quick=" + Settings.QUICK,
				"-Dbench.downloadDir=" + downloadDir(), "-cp", System.getProperty("java.class.path"),
				StreamingBenchmarks.class.getName()));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<String> lines = Collections.synchronizedList(new ArrayList<>());
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
					Writer out = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
				String line;
				while ((line = in.readLine()) != null) {
					lines.add(line);
					if (line.equals("PAUSE")) {
						out.write(signalServer("STOP") ? "PAUSED\n" : "NOT_PAUSED\n");
						out.flush();
					}
					else if (line.equals("RESUME")) {
						signalServer("CONT");
						out.write("RESUMED\n");
						out.flush();
					}
				}
			}
			catch (IOException ex) {
				// the child ended
			}
			finally {
				signalServer("CONT");
			}
		}, "child-output");
		reader.start();
		Map<String, String> result = new LinkedHashMap<>();
		if (!process.waitFor(Settings.QUICK ? 120 : 180, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
			result.put("completed", "0");
			result.put("error", "child JVM did not finish in time");
		}
		reader.join(5_000);
		synchronized (lines) {
			for (String line : lines) {
				if (line.startsWith("RESULT ")) {
					for (String field : line.substring(7).split("\t")) {
						int eq = field.indexOf('=');
						result.put(field.substring(0, eq), field.substring(eq + 1));
					}
				}
			}
			if (!result.containsKey("completed")) {
				result.put("completed", "0");
				result.put("error", "child JVM exited " + process.exitValue() + " without a result: "
						+ String.join(" / ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
			}
		}
		return result;
	}

	/**
	 * Send a signal to the server's worker processes (the children of {@code bench.serverPid}, nginx's master),
	 * so the in-flight children can hold every response back while they fire.
	 */
	private static boolean signalServer(String signal) {
		long pid = Long.getLong("bench.serverPid", -1);
		List<String> workers = ProcessHandle.of(pid)
			.map((master) -> master.children().map((child) -> Long.toString(child.pid())).toList())
			.orElse(List.of());
		if (workers.isEmpty()) {
			return false;
		}
		try {
			// the shell's own kill: no procps needed
			return new ProcessBuilder("sh", "-c", "kill -" + signal + " " + String.join(" ", workers)).inheritIO()
				.start()
				.waitFor() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Child side of the pause protocol: print the request, wait for the parent's answer on standard input.
	 */
	private static String ask(BufferedReader parent, String request) throws IOException {
		System.out.println(request);
		System.out.flush();
		String answer = parent.readLine();
		return (answer != null) ? answer : "";
	}

	static Path downloadDir() {
		return Path.of(System.getProperty("bench.downloadDir", System.getProperty("java.io.tmpdir")));
	}

	// child: download ---------------------------------------------------------------------------------------

	private interface Downloader extends AutoCloseable {

		Mono<Path> download(String path, Path target);

		@Override
		void close();

	}

	private static Downloader downloader(String arm) {
		if (arm.equals("OURS")) {
			HttpClient client = HttpClient.builder()
				.config(HttpConfig.builder().baseUrl(Settings.URL).timeout(Duration.ofMinutes(5)).retries(0).build())
				.build();
			return new Downloader() {
				@Override
				public Mono<Path> download(String path, Path target) {
					return client.get(path).download(target);
				}

				@Override
				public void close() {
					client.close();
				}
			};
		}
		ConnectionProvider provider = Connectors.pool("plain-webclient");
		WebClient client = Connectors.plainWebClient(Settings.URL, provider).build();
		return new Downloader() {
			@Override
			public Mono<Path> download(String path, Path target) {
				return DataBufferUtils
					.write(client.get().uri(path).retrieve().bodyToFlux(DataBuffer.class), target,
							StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)
					.thenReturn(target);
			}

			@Override
			public void close() {
				provider.dispose();
			}
		};
	}

	private static void download(String arm) throws Exception {
		Path target = Files.createTempFile(downloadDir(), "pepperpy-download-", ".bin");
		Map<String, Object> result = new LinkedHashMap<>();
		try (Downloader downloader = downloader(arm)) {
			for (int i = 0; i < Settings.count(3, 1); i++) {
				downloader.download("/warm", target).block(Duration.ofMinutes(1));
			}
			Memory memory = new Memory();
			long cpu0 = CpuClock.processCpuNanos();
			long start = System.nanoTime();
			CompletableFuture<Path> done = downloader.download("/big", target).toFuture();
			long directMax = 0;
			while (!done.isDone()) {
				directMax = Math.max(directMax, directMemoryUsed());
				Thread.sleep(5);
			}
			double seconds = (System.nanoTime() - start) / 1e9;
			double cpu = (CpuClock.processCpuNanos() - cpu0) / 1e9;
			done.get();
			long size = Files.size(target);
			if (size != BIG_BYTES) {
				throw new IllegalStateException("downloaded " + size + " bytes instead of " + BIG_BYTES);
			}
			result.put("completed", 1);
			result.put("seconds", seconds);
			result.put("mbps", size / MB / seconds);
			result.put("cpu_s", cpu);
			memory.into(result);
			result.put("direct_max_mb", directMax / MB);
		}
		catch (Throwable ex) {
			result.put("completed", 0);
			result.put("error", (ex.getClass().getSimpleName() + ": " + ex.getMessage()).replaceAll("\\s+", " "));
		}
		finally {
			Files.deleteIfExists(target);
		}
		printResult(result);
	}

	private static long directMemoryUsed() {
		long used = 0;
		for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
			if (pool.getName().equals("direct")) {
				used += pool.getMemoryUsed();
			}
		}
		return used;
	}

	// child: requests in flight -----------------------------------------------------------------------------

	private static void inFlight(String arm, int requests, boolean poolDefaults) throws Exception {
		Map<String, Object> result = new LinkedHashMap<>();
		try (Target client = target(arm, poolDefaults ? ConnectionPool.DEFAULTS : UNBOUNDED_QUEUE)) {
			// warm-up: opens the connections and compiles the request path
			fire(client, 500, null);
			fire(client, 500, null);
			System.gc();
			Memory memory = new Memory();
			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			int before = threads.getThreadCount();
			threads.resetPeakThreadCount();
			BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			boolean paused = ask(parent, "PAUSE").equals("PAUSED");
			long start = System.nanoTime();
			Fired fired = fire(client, requests, paused ? () -> ask(parent, "RESUME") : null);
			result.put("completed", (fired.ok + fired.failed == requests) ? 1 : 0);
			result.put("server_paused", paused ? 1 : 0);
			result.put("wall_ms", (System.nanoTime() - start) / 1e6);
			result.put("fire_ms", fired.fireNanos / 1e6);
			result.put("drain_ms", fired.drainNanos / 1e6);
			result.put("ok", fired.ok);
			result.put("failed", fired.failed);
			result.put("max_in_flight", fired.maxInFlight);
			result.put("max_pending", fired.maxPending);
			result.put("max_active", fired.maxActive);
			result.put("threads_before", before);
			result.put("peak_threads", threads.getPeakThreadCount());
			memory.into(result);
			fired.failures.forEach((kind, count) -> result.put("failure:" + kind, count.sum()));
			result.put("failures", fired.failures.toString());
			Map<String, Integer> names = new TreeMap<>();
			Thread.getAllStackTraces()
				.keySet()
				.forEach((t) -> names.merge(t.getName().replaceAll("[-#]?\\d+$", "-N"), 1, Integer::sum));
			result.put("thread_names", names.toString());
		}
		catch (Throwable ex) {
			result.put("completed", 0);
			result.put("error", (ex.getClass().getSimpleName() + ": " + ex.getMessage()).replaceAll("\\s+", " "));
		}
		printResult(result);
	}

	private record Fired(long ok, long failed, int maxInFlight, int maxPending, int maxActive, long fireNanos,
			long drainNanos, Map<String, LongAdder> failures) {
	}

	@FunctionalInterface
	private interface Resume {

		void resume() throws IOException;

	}

	/**
	 * Subscribe {@code requests} GETs from this thread without waiting, then wait for all, sampling the pool. With
	 * {@code resume}, the server is paused: every request is first seen in flight (in a connection or waiting for
	 * one, or failed at once), then the server is resumed.
	 */
	/**
	 * What fires the requests: our client, or plain WebClient on the same pool settings.
	 */
	private interface Target extends AutoCloseable {

		Mono<?> request();

		int pending();

		int active();

		@Override
		void close();

	}

	private static Target target(String arm, ConnectionPool pool) {
		if (arm.equals("OURS")) {
			HttpClient client = HttpClient.create(HttpConfig.builder()
				.baseUrl(Settings.URL)
				.retries(0)
				.timeout(Duration.ofSeconds(60))
				.pool(pool)
				.build());
			return new Target() {
				@Override
				public Mono<?> request() {
					return client.get("/json").retrieve(byte[].class);
				}

				@Override
				public int pending() {
					return client.state().pendingAcquires();
				}

				@Override
				public int active() {
					return client.state().activeConnections();
				}

				@Override
				public void close() {
					client.close();
				}
			};
		}
		Map<String, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();
		ConnectionProvider provider = Connectors.pool("plain-webclient", pool)
			.metrics(true, () -> new ConnectionProvider.MeterRegistrar() {
				@Override
				public void registerMetrics(String poolName, String id, SocketAddress address,
						ConnectionPoolMetrics metrics) {
					pools.put(id, metrics);
				}

				@Override
				public void deRegisterMetrics(String poolName, String id, SocketAddress address) {
					pools.remove(id);
				}
			})
			.build();
		WebClient client = Connectors.plainWebClient(Settings.URL, provider).build();
		return new Target() {
			@Override
			public Mono<?> request() {
				return client.get().uri("/json").retrieve().bodyToMono(byte[].class);
			}

			@Override
			public int pending() {
				return pools.values().stream().mapToInt(ConnectionPoolMetrics::pendingAcquireSize).sum();
			}

			@Override
			public int active() {
				return pools.values().stream().mapToInt(ConnectionPoolMetrics::acquiredSize).sum();
			}

			@Override
			public void close() {
				provider.dispose();
			}
		};
	}

	private static Fired fire(Target client, int requests, @Nullable Resume resume)
			throws InterruptedException, IOException {
		CountDownLatch done = new CountDownLatch(requests);
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger maxInFlight = new AtomicInteger();
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		Map<String, LongAdder> failures = new ConcurrentHashMap<>();
		long start = System.nanoTime();
		for (int i = 0; i < requests; i++) {
			int now = inFlight.incrementAndGet();
			maxInFlight.accumulateAndGet(now, Math::max);
			client.request().subscribe((body) -> ok.incrementAndGet(), (ex) -> {
				failed.incrementAndGet();
				failures.computeIfAbsent(LoadDriver.failureType(ex), (k) -> new LongAdder()).increment();
				inFlight.decrementAndGet();
				done.countDown();
			}, () -> {
				inFlight.decrementAndGet();
				done.countDown();
			});
		}
		long fired = System.nanoTime();
		int[] max = new int[2];
		if (resume != null) {
			// every request is either on a connection, waiting for one, or failed
			long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (client.active() + client.pending() + failed.get() < requests && System.nanoTime() < settle) {
				Thread.sleep(1);
			}
			sample(client, max);
			histogram();
			resume.resume();
		}
		long resumed = System.nanoTime();
		long deadline = resumed + TimeUnit.SECONDS.toNanos(90);
		do {
			sample(client, max);
		}
		while (!done.await(2, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
		return new Fired(ok.get(), failed.get(), maxInFlight.get(), max[0], max[1], fired - start,
				System.nanoTime() - resumed, failures);
	}

	/**
	 * For diagnosis: with {@code -Dbench.histogram=FILE} on the child, write a class histogram of the live heap
	 * while every request is in flight.
	 */
	private static void histogram() {
		String file = System.getProperty("bench.histogram");
		if (file == null) {
			return;
		}
		try {
			Object histogram = ManagementFactory.getPlatformMBeanServer()
				.invoke(new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
						"gcClassHistogram", new Object[] { new String[0] }, new String[] { String[].class.getName() });
			Files.writeString(Path.of(file), String.valueOf(histogram));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void sample(Target client, int[] max) {
		max[0] = Math.max(max[0], client.pending());
		max[1] = Math.max(max[1], client.active());
	}

	// shared ------------------------------------------------------------------------------------------------

	/**
	 * Heap figures from the moment it is created: peak used (the sum of every heap pool's peak, reset at the
	 * start, so garbage not yet collected counts) and the largest heap left after any collection (the live set).
	 */
	private static final class Memory {

		private final AtomicLong afterGcMax = new AtomicLong();

		private final AtomicLong collections = new AtomicLong();

		private final AtomicLong gcMillis = new AtomicLong();

		Memory() {
			for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
				pool.resetPeakUsage();
			}
			for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
				((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
					if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
						return;
					}
					GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
						.from((CompositeData) notification.getUserData());
					long after = 0;
					for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
						if (isHeap(pool.getKey())) {
							after += pool.getValue().getUsed();
						}
					}
					this.afterGcMax.accumulateAndGet(after, Math::max);
					this.collections.incrementAndGet();
					this.gcMillis.addAndGet(info.getGcInfo().getDuration());
				}, null, null);
			}
		}

		private static boolean isHeap(String poolName) {
			return ManagementFactory.getMemoryPoolMXBeans()
				.stream()
				.anyMatch((pool) -> pool.getName().equals(poolName) && pool.getType() == MemoryType.HEAP);
		}

		void into(Map<String, Object> result) {
			long peak = 0;
			for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
				if (pool.getType() == MemoryType.HEAP) {
					peak += pool.getPeakUsage().getUsed();
				}
			}
			result.put("heap_peak_mb", peak / MB);
			// NaN when nothing was collected: then the live set is not known
			result.put("heap_after_gc_max_mb", (this.collections.get() > 0) ? this.afterGcMax.get() / MB : Double.NaN);
			result.put("heap_max_mb", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / MB);
			result.put("gc_count", this.collections.get());
			result.put("gc_ms", this.gcMillis.get());
		}

	}

	private static void printResult(Map<String, Object> result) {
		StringBuilder line = new StringBuilder("RESULT");
		String separator = " ";
		for (Map.Entry<String, Object> entry : result.entrySet()) {
			Object value = entry.getValue();
			String text = (value instanceof Double d) ? String.format(Locale.ROOT, "%.3f", d)
					: String.valueOf(value);
			line.append(separator).append(entry.getKey()).append('=').append(text.replace('\t', ' '));
			separator = "\t";
		}
		System.out.println(line);
	}

}
