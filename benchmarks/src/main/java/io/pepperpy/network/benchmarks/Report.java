package io.pepperpy.network.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the raw measurements and the JMH results into {@code results.md} and the data files the charts are drawn
 * from. Arguments: the results directory (holding {@code raw/}), the command that produced them.
 */
public final class Report {

	private static final double KB = 1024.0;

	private final List<RawResults.Row> rows;

	private final StringBuilder md = new StringBuilder();

	private final Path dir;

	private Report(Path dir, List<RawResults.Row> rows) {
		this.dir = dir;
		this.rows = rows;
	}

	public static void main(String[] args) throws IOException {
		Path dir = Path.of(args[0]);
		String command = (args.length > 1) ? args[1] : "benchmarks/run.sh";
		Report report = new Report(dir, RawResults.read(dir.resolve("raw/measurements.tsv")));
		report.write(command);
	}

	private void write(String command) throws IOException {
		String machine = read(this.dir.resolve("raw/machine.txt")).strip();
		line("# pepperpy-network benchmark results");
		line("");
		line("Machine: " + machine.replace("\n", "; "));
		line("");
		line("Command: `" + command + "`");
		line("");
		line("Every ratio is to plain WebClient (same connector, pool and observation registry as ours). Medians of "
				+ "the rounds, arms interleaved within each round; in parts (b) and (c) plain WebClient and ours run in "
				+ "5 rounds, the other clients in 3 (RestClient on the JDK client in 2: it cannot sustain the offered "
				+ "rates, so each of its open-loop runs ends with seconds of queue), and in open loop the other "
				+ "clients at 2,000 req/s only (–: not run), which keeps the harness within 15 minutes. KB = 1,024 bytes. Throughput is information; "
				+ "the gating figures are CPU per request at a fixed rate and allocation per request.");
		line("");
		allocation();
		openLoop();
		closedLoop();
		overload();
		rateLimiter();
		retry();
		startup();
		streaming();
		tcp();
		Files.writeString(this.dir.resolve("results.md"), this.md.toString(), StandardCharsets.UTF_8);
		System.out.println(this.md);
	}

	// (a) -----------------------------------------------------------------------------------------------------

	private void allocation() throws IOException {
		line("## Allocation per request (JMH `-prof gc`, gc.alloc.rate.norm, one caller thread)");
		line("");
		Path jmh = this.dir.resolve("raw/jmh.json");
		if (!Files.exists(jmh)) {
			line("Not measured.");
			line("");
			return;
		}
		Map<Arm, Map<Decode, double[]>> alloc = new EnumMap<>(Arm.class);
		for (JsonNode result : JsonMapper.builder().build().readTree(jmh.toFile())) {
			Arm arm = Arm.valueOf(result.path("params").path("arm").asString());
			Decode decode = Decode.valueOf(result.path("params").path("decode").asString());
			double norm = Double.NaN;
			for (var entry : result.path("secondaryMetrics").properties()) {
				if (entry.getKey().endsWith("gc.alloc.rate.norm")) {
					norm = entry.getValue().path("score").asDouble();
				}
			}
			double opsPerSecond = result.path("primaryMetric").path("score").asDouble();
			alloc.computeIfAbsent(arm, (a) -> new EnumMap<>(Decode.class))
				.put(decode, new double[] { norm / KB, opsPerSecond });
		}
		line("| Arm | " + String.join(" | ", Arrays.stream(Decode.values()).map((d) -> d + " KB/request").toList())
				+ " | " + String.join(" | ", Arrays.stream(Decode.values()).map((d) -> d + " req/s, 1 thread").toList())
				+ " |");
		line("|---" + "|---:".repeat(2 * Decode.values().length) + "|");
		List<Decode> measured = Arrays.stream(Decode.values())
			.filter((d) -> alloc.values().stream().anyMatch((byDecode) -> byDecode.containsKey(d)))
			.toList();
		StringBuilder dat = new StringBuilder("arm " + String.join(" ", measured.stream().map(Decode::name).toList()) + "\n");
		for (Arm arm : alloc.keySet()) {
			List<String> cells = new ArrayList<>();
			List<String> ops = new ArrayList<>();
			dat.append('"').append(arm.label()).append('"');
			for (Decode decode : Decode.values()) {
				double[] value = alloc.get(arm).get(decode);
				double base = valueOf(alloc, Arm.WEBCLIENT, decode, 0);
				cells.add((value == null) ? "–" : fmt("%.1f (%s)", value[0], ratio(value[0], base)));
				ops.add((value == null) ? "–" : fmt("%.0f", value[1]));
				if (measured.contains(decode)) {
					dat.append(' ').append((value == null) ? "NaN" : fmt("%.2f", value[0]));
				}
			}
			dat.append('\n');
			line("| " + arm.label() + " | " + String.join(" | ", cells) + " | " + String.join(" | ", ops) + " |");
		}
		Files.writeString(this.dir.resolve("raw/alloc.dat"), dat);
		line("");
		line("| Target | Decode | Figure | Met |");
		line("|---|---|---:|---|");
		for (Decode decode : Decode.values()) {
			double base = valueOf(alloc, Arm.WEBCLIENT, decode, 0);
			double off = valueOf(alloc, Arm.OURS_NO_METERS, decode, 0) - base;
			double on = valueOf(alloc, Arm.OURS, decode, 0) - base;
			if (Double.isNaN(off) || Double.isNaN(on)) {
				line(fmt("| ours ≤ plain WebClient + 3 KB (meters off), + 6 KB (on) | %s | not measured | |", decode));
				continue;
			}
			line(fmt("| ours, own meters off ≤ plain WebClient + 3 KB | %s | %+.1f KB | %s |", decode, off, met(off <= 3)));
			line(fmt("| ours, own meters on ≤ plain WebClient + 6 KB | %s | %+.1f KB | %s |", decode, on, met(on <= 6)));
		}
		line("");
	}

	private static double valueOf(Map<Arm, Map<Decode, double[]>> alloc, Arm arm, Decode decode, int index) {
		Map<Decode, double[]> byDecode = alloc.get(arm);
		double[] value = (byDecode != null) ? byDecode.get(decode) : null;
		return (value != null) ? value[index] : Double.NaN;
	}

	// (b) -----------------------------------------------------------------------------------------------------

	private void openLoop() throws IOException {
		line("## Client CPU per request at a fixed offered rate (open loop)");
		line("");
		line("Process CPU time (every thread's on-CPU time from /proc/self/task/*/schedstat, GC and JIT included; "
				+ "getProcessCpuTime() counts 10 ms ticks; a thread that ends keeps counting with its last reading) divided by "
				+ "requests, while one driver thread sends at fixed intended times; latency is measured from the "
				+ "intended send time. The rounds are recorded after three unrecorded passes of the same cells (every "
				+ "client but the JDK one): before them, the compiler threads filled the core and every client "
				+ "measured about 500 µs per request.");
		line("");
		List<String> cells = cells("openloop");
		if (cells.isEmpty()) {
			line("Not measured.");
			line("");
			return;
		}
		line("| Arm | " + String.join(" | ", cells.stream().map((c) -> c.replace("|", " ") + "/s µs CPU/request").toList()) + " |");
		line("|---" + "|---:".repeat(cells.size()) + "|");
		StringBuilder dat = new StringBuilder("arm " + String.join(" ", cells.stream().map((c) -> c.replace("|", "_") + "/s").toList()) + "\n");
		for (Arm arm : Arm.values()) {
			List<String> values = new ArrayList<>();
			dat.append('"').append(arm.label()).append('"');
			for (String cell : cells) {
				double v = median("openloop", arm, cell, "cpu_us");
				double base = median("openloop", Arm.WEBCLIENT, cell, "cpu_us");
				values.add(Double.isNaN(v) ? "–" : fmt("%.1f (%s)", v, ratio(v, base)));
				dat.append(' ').append(fmt("%.2f", v));
			}
			dat.append('\n');
			line("| " + arm.label() + " | " + String.join(" | ", values) + " |");
		}
		Files.writeString(this.dir.resolve("raw/cpu.dat"), dat);
		line("");
		line("Latency of successful requests, µs (median over rounds of p50 / p99 / p99.9), and errors summed over rounds:");
		line("");
		line("| Arm | " + String.join(" | ", cells.stream().map((c) -> c.replace("|", " ") + "/s").toList()) + " |");
		line("|---" + "|---:".repeat(cells.size()) + "|");
		for (Arm arm : Arm.values()) {
			List<String> values = new ArrayList<>();
			for (String cell : cells) {
				double errors = sum("openloop", arm, cell, "errors");
				if (Double.isNaN(median("openloop", arm, cell, "p50_us"))) {
					values.add("–");
					continue;
				}
				values.add(fmt("%.0f / %.0f / %.0f", median("openloop", arm, cell, "p50_us"),
						median("openloop", arm, cell, "p99_us"), median("openloop", arm, cell, "p999_us"))
						+ ((errors > 0) ? fmt(", %.0f errors", errors) : ""));
			}
			line("| " + arm.label() + " | " + String.join(" | ", values) + " |");
		}
		line("");
		line("| Target | Case | Figure | Met |");
		line("|---|---|---:|---|");
		for (String cell : cells) {
			double base = median("openloop", Arm.WEBCLIENT, cell, "cpu_us");
			double ours = pairedRatio("openloop", Arm.OURS, cell, "cpu_us");
			double off = pairedRatio("openloop", Arm.OURS_NO_METERS, cell, "cpu_us");
			line(fmt("| CPU/request ours ≤ 1.10 × plain WebClient (median of the rounds' pairs; ratio of the medians "
					+ "%.2f ×) | %s/s | %.2f × | %s |", median("openloop", Arm.OURS, cell, "cpu_us") / base,
					cell.replace("|", " "), ours, met(ours <= 1.10)));
			line(fmt("| (information) own meters off (ratio of the medians %.2f ×) | %s/s | %.2f × | |",
					median("openloop", Arm.OURS_NO_METERS, cell, "cpu_us") / base, cell.replace("|", " "), off));
		}
		line("");
	}

	// (c) -----------------------------------------------------------------------------------------------------

	private void closedLoop() throws IOException {
		line("## Closed-loop throughput, JSON decode (information)");
		line("");
		List<String> cells = cells("closedloop");
		if (cells.isEmpty()) {
			line("Not measured.");
			line("");
			return;
		}
		line("Connection limits: the three Reactor Netty arms use the pool settings `HttpClient` builds (`HttpConfig.Pool.DEFAULTS`: 500 connections, 1,000 pending); "
				+ "OkHttp's dispatcher and Apache's pool are raised to 256 per host; the JDK client has no limit.");
		line("");
		line("| Arm | " + String.join(" | ", cells.stream().map((c) -> "c=" + c.split("\\|")[1] + " req/s").toList()) + " |");
		line("|---" + "|---:".repeat(cells.size()) + "|");
		StringBuilder dat = new StringBuilder("arm " + String.join(" ", cells.stream().map((c) -> "c" + c.split("\\|")[1]).toList()) + "\n");
		for (Arm arm : Arm.values()) {
			List<String> values = new ArrayList<>();
			dat.append('"').append(arm.label()).append('"');
			for (String cell : cells) {
				double v = median("closedloop", arm, cell, "rps");
				double base = median("closedloop", Arm.WEBCLIENT, cell, "rps");
				double errors = median("closedloop", arm, cell, "error_pct");
				values.add(fmt("%.0f (%s)", v, ratio(v, base)) + ((errors > 0) ? fmt(", %.1f %% errors", errors) : ""));
				dat.append(' ').append(fmt("%.0f", v));
			}
			dat.append('\n');
			line("| " + arm.label() + " | " + String.join(" | ", values) + " |");
		}
		Files.writeString(this.dir.resolve("raw/throughput.dat"), dat);
		line("");
		line("| Target | Case | Figure | Met |");
		line("|---|---|---:|---|");
		String last = null;
		for (String cell : cells) {
			double ratio = pairedRatio("closedloop", Arm.OURS, cell, "rps");
			line(fmt("| throughput ours ≥ 0.95 × plain WebClient (median of the rounds' pairs; ratio of the medians "
					+ "%.2f ×) | c=%s | %.2f × | %s |",
					median("closedloop", Arm.OURS, cell, "rps") / median("closedloop", Arm.WEBCLIENT, cell, "rps"),
					cell.split("\\|")[1], ratio, met(ratio >= 0.95)));
			last = cell;
		}
		if (last != null && last.endsWith("|256")) {
			double ours = median("closedloop", Arm.OURS, last, "rps");
			for (Arm other : List.of(Arm.OKHTTP, Arm.RESTCLIENT_JDK, Arm.APACHE_ASYNC)) {
				double theirs = median("closedloop", other, last, "rps");
				line(fmt("| ours ahead of %s | c=256 | %.0f vs %.0f req/s | %s |", other.label(), ours, theirs,
						met(ours > theirs)));
			}
		}
		line("");
	}

	// (g) -----------------------------------------------------------------------------------------------------

	private void overload() {
		line("## Overload: offered 2 × our capacity (open loop, JSON)");
		line("");
		Set<String> scenarios = params("overload");
		if (scenarios.isEmpty()) {
			line("Not measured.");
			line("");
			return;
		}
		line("Capacity is our best closed-loop throughput (16 or 256 in flight), measured just before. `limiter`: max-rate-limit = "
				+ "capacity, rate-limit-timeout 100 ms. `defaults`: no limiter; the connection pool's pending-acquire "
				+ "limit is the only bound. Each scenario is recorded after one unrecorded 2 s pass of both.");
		line("");
		line("| Scenario | Capacity req/s | Offered req/s | Flowing req/s | Flowing % of capacity | Rejected % | Typed % | Rejection p50 / p99 / max ms | Success p99 ms | Failures |");
		line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
		for (String scenario : scenarios) {
			Predicate<RawResults.Row> of = (r) -> r.part().equals("overload") && r.param().equals(scenario);
			List<String> failures = this.rows.stream()
				.filter(of.and((r) -> r.metric().startsWith("failure:")))
				.map((r) -> r.metric().substring(8) + " " + fmt("%.0f", r.value()))
				.toList();
			line(fmt("| %s | %.0f | %.0f | %.0f | %.0f | %.1f | %.0f | %.1f / %.1f / %.1f | %.1f | %s |", scenario,
					value(of, "capacity_rps"), value(of, "offered_rps"), value(of, "flowing_rps"),
					value(of, "flowing_pct"), value(of, "rejected_pct"), value(of, "typed_pct"),
					value(of, "reject_p50_ms"), value(of, "reject_p99_ms"), value(of, "reject_max_ms"),
					value(of, "ok_p99_ms"), String.join(", ", failures)));
		}
		line("");
		line("| Target | Scenario | Figure | Met |");
		line("|---|---|---:|---|");
		// The issue asks for a bound by "the pool's pending limit or our limiter": each scenario is judged.
		for (String scenario : scenarios) {
			Predicate<RawResults.Row> of = (r) -> r.part().equals("overload") && r.param().equals(scenario);
			double flowing = value(of, "flowing_pct");
			double typed = value(of, "typed_pct");
			double p99 = value(of, "reject_p99_ms");
			line(fmt("| ≥ 80 %% of capacity keeps flowing | %s | %.0f %% | %s |", scenario, flowing,
					met(flowing >= 80)));
			line(fmt("| rejections are typed NetworkException | %s | %.0f %% | %s |", scenario, typed,
					met(typed >= 100 || Double.isNaN(typed))));
			// With the limiter a caller waits at most its 100 ms rate-limit-timeout, and a caller held back by the
			// window's share after its slot came one more 100 ms window; the pool refuses at once when full.
			boolean limiter = scenario.equals("limiter");
			double bound = limiter ? 210 : 110;
			line(fmt("| rejections are fast and bounded: p99 ≤ %.0f ms (%s) | %s | %.1f ms | %s |", bound,
					limiter ? "the 100 ms rate-limit-timeout, one more 100 ms window for a caller held after its "
							+ "slot, + 10 ms"
							: "the full pool queue refuses at once: 100 ms + 10 ms, as for the limiter's timeout",
					scenario, p99,
					met(Double.isNaN(p99) || p99 <= bound)));
		}
		line("");
	}

	// (d) -----------------------------------------------------------------------------------------------------

	private void rateLimiter() {
		line("## Rate limiter accuracy (measured at the server by arrival time)");
		line("");
		Set<String> rates = params("ratelimit");
		if (rates.isEmpty()) {
			line("Not measured.");
			line("");
			return;
		}
		line("At the server, with the requests' times as they leave our client for the connector (after the limiter) "
				+ "beside them: what the limiter let through, and what the way from the client to the server's "
				+ "handler (event loops, the kernel, the server's own scheduling on a core it shares with the "
				+ "client) bunched.");
		line("");
		line("| Limit req/s | Demand req/s | Seconds | Achieved req/s | Error % | Max in any 100 ms | Allowed (R/10 + 1) | As sent: req/s | As sent: max in any 100 ms | Rejected (RATE_LIMITED) | of which after waiting ≥ 0.5 s | Other failures | Met |");
		line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
		for (String rate : rates) {
			Predicate<RawResults.Row> of = (r) -> r.part().equals("ratelimit") && r.param().equals(rate);
			double error = value(of, "error_pct");
			double max = value(of, "max_100ms");
			double allowed = value(of, "allowed_100ms");
			line(fmt("| %s | %.0f | %.0f | %.2f | %+.2f | %.0f | %.0f | %.2f | %.0f | %.0f | %.0f | %.0f | %s |", rate,
					value(of, "demand_rps"), value(of, "seconds"), value(of, "achieved_rps"), error, max, allowed,
					value(of, "achieved_rps_sent"), value(of, "max_100ms_sent"), value(of, "rejected"),
					value(of, "refused_late"), value(of, "other_failures"), met(Math.abs(error) <= 1 && max <= Math.floor(allowed))));
		}
		line("");
	}

	// (e) -----------------------------------------------------------------------------------------------------

	private void retry() {
		line("## Retry delay accuracy (jitter off; gap between attempts at the server minus the delay d)");
		line("");
		Set<String> delays = params("retry");
		if (delays.isEmpty()) {
			line("Not measured.");
			line("");
			return;
		}
		line("| d ms | Samples | Failures | Min ms | p50 ms | p99 ms | Max ms | Met (p99 within [d, d + 5 ms]) |");
		line("|---:|---:|---:|---:|---:|---:|---:|---|");
		for (String delay : delays) {
			Predicate<RawResults.Row> of = (r) -> r.part().equals("retry") && r.param().equals(delay);
			double min = value(of, "min_ms");
			double p99 = value(of, "p99_ms");
			line(fmt("| %s | %.0f | %.0f | %+.2f | %+.2f | %+.2f | %+.2f | %s |", delay, value(of, "samples"),
					value(of, "failures"), min, value(of, "p50_ms"), p99, value(of, "max_ms"),
					met(min >= 0 && p99 <= 5)));
		}
		line("");
	}

	// (f) -----------------------------------------------------------------------------------------------------

	private void startup() {
		line("## Start-up of a minimal Spring Boot app (non-web), without and with the starter");
		line("");
		if (params("startup").isEmpty()) {
			line("Not measured.");
			line("");
			return;
		}
		double without = startupMedian("WITHOUT_STARTER", "ready_ms");
		double with = startupMedian("WITH_STARTER", "ready_ms");
		double bare = startupMedian("BARE_BOOT", "ready_ms");
		long runs = this.rows.stream()
			.filter((r) -> r.part().equals("startup") && r.arm().equals("WITH_STARTER") && r.metric().equals("ready_ms"))
			.count();
		long bareRuns = this.rows.stream()
			.filter((r) -> r.part().equals("startup") && r.arm().equals("BARE_BOOT") && r.metric().equals("ready_ms"))
			.count();
		Predicate<RawResults.Row> check = (r) -> r.part().equals("startup") && r.param().equals("check");
		double loopsBefore = value(check, "loops_before_first_request");
		double loopsAfter = value(check, "loops_after_first_request");
		line(fmt("Median of %d launches each, in pairs: the baseline and the starter's app at once, each JVM pinned to "
				+ "a CPU of its own, the CPUs swapped every round (nginx idles meanwhile), so each launch has one core "
				+ "and both meet the same machine. Ready = JVM start to a refreshed context. The baseline app has every third-party library the starter brings "
				+ "(`spring-boot-starter-webclient`, `micrometer-core`) and not our jars, so the "
				+ "difference is the cost of our auto-configuration: the baseline is launched with the starter's "
				+ "class path minus our jars, in the same order (the JDK searches jars in class path order, so an "
				+ "order that puts the Netty jars first costs about 10 ms of CPU by itself), and the harness checks "
				+ "that `startup-baseline/pom.xml` resolves to the same libraries.", runs));
		line("");
		line("| | Ready ms | Launch to exit ms | Sockets before any request (inet) |");
		line("|---|---:|---:|---:|");
		line(fmt("| baseline: the same libraries, without our jars | %.0f | %.0f | %.0f (%.0f) |", without,
				startupMedian("WITHOUT_STARTER", "wall_ms"), startupMedian("WITHOUT_STARTER", "sockets"),
				startupMedian("WITHOUT_STARTER", "inet_sockets")));
		line(fmt("| with the starter | %.0f | %.0f | %.0f (%.0f) |", with, startupMedian("WITH_STARTER", "wall_ms"),
				startupMedian("WITH_STARTER", "sockets"), startupMedian("WITH_STARTER", "inet_sockets")));
		line(fmt("| added by the starter | %+.0f | %+.0f | |", with - without,
				startupMedian("WITH_STARTER", "wall_ms") - startupMedian("WITHOUT_STARTER", "wall_ms")));
		line(fmt("| added by the starter, median of the %d paired rounds (less sensitive to the machine's load "
				+ "drifting) | %+.0f | %+.0f | |", runs, pairedMedian("-", "ready_ms"), pairedMedian("-", "wall_ms")));
		if (bareRuns > 0) {
			line(fmt("| information: bare `spring-boot-starter` (%d launches) | %.0f | %.0f | %.0f (%.0f) |", bareRuns,
					bare, startupMedian("BARE_BOOT", "wall_ms"), startupMedian("BARE_BOOT", "sockets"),
					startupMedian("BARE_BOOT", "inet_sockets")));
			line(fmt("| information: starter vs bare `spring-boot-starter` (libraries included) | %+.0f | %+.0f | |",
					with - bare, startupMedian("WITH_STARTER", "wall_ms") - startupMedian("BARE_BOOT", "wall_ms")));
		}
		line("");
		double secondWithout = startupMedian("WITHOUT_STARTER", "second", "second_ms");
		double secondWith = startupMedian("WITH_STARTER", "second", "second_ms");
		double ours = pairedMedian("second", "second_ms");
		double control = pairedMedian("second", "first_ms");
		boolean second = !Double.isNaN(secondWith);
		if (second) {
			line(fmt("Launches of the same app differ by a lot here, so the cost of our auto-configuration alone is "
					+ "also measured in one JVM (`SecondContextApp`, %d pairs launched as above): a first context "
					+ "without our auto-configurations (`spring.autoconfigure.exclude`), so that Spring's own classes "
					+ "are loaded, then a second one timed, without them again or with them: with them, our classes "
					+ "load, our conditions run and our beans are made for the first time in that JVM. The first "
					+ "contexts do the same work in both arms: their difference is an A/A control, how far two "
					+ "launches of the same app differ.", secondCount()));
			line("");
			line("| | First context ms (ours excluded in both) | Second context ms |");
			line("|---|---:|---:|");
			line(fmt("| arm without ours | %.0f | %.0f |", startupMedian("WITHOUT_STARTER", "second", "first_ms"), secondWithout));
			line(fmt("| arm with ours | %.0f | %.0f |", startupMedian("WITH_STARTER", "second", "first_ms"), secondWith));
			line(fmt("| difference, median of the paired rounds | %+.0f (A/A: the same work) | %+.0f (our cold "
					+ "cost) |", control, ours));
			line("");
		}
		double socketsBefore = value(check, "sockets_before_first_request");
		double inetBefore = value(check, "inet_sockets_before_first_request");
		double baselineSockets = startupMedian("WITHOUT_STARTER", "sockets");
		line("| Target | Figure | Met |");
		line("|---|---:|---|");
		line(fmt("| the starter adds ≤ 50 ms (median ready time, fair baseline) | %+.0f ms | %s |", with - without,
				met(with - without <= 50)));
		if (second) {
			line(fmt("| the same, our auto-configuration's cold cost in one JVM (second context, median of pairs) | "
					+ "%+.0f ms (A/A control of launches: %+.0f ms) | %s |", ours, control, met(ours <= 50)));
		}
		line(fmt("| no Netty event loop or Reactor thread before the first request | %.0f threads before, %.0f after "
				+ "the first request | %s |", loopsBefore, loopsAfter, met(loopsBefore == 0)));
		line(fmt("| no connection before the first request: no TCP/UDP socket, and no more sockets than the baseline "
				+ "app | %.0f inet and %.0f in all before (baseline %.0f), %.0f inet after | %s |", inetBefore,
				socketsBefore, baselineSockets, value(check, "inet_sockets_after_first_request"),
				met(inetBefore == 0 && socketsBefore <= baselineSockets)));
		line("");
		line("The socket both apps have before any request is a Unix socket, not a connection: the JDK keeps one "
				+ "end of a socket pair open from the first NIO file channel on (`sun.nio.ch.FileDispatcherImpl`'s "
				+ "pre-close descriptor), and Boot's Jackson auto-configuration opens one, with or without the "
				+ "starter, when it reads the app's classes to find `@JsonMixin` types.");
		line("");
	}

	/**
	 * Median over rounds of (with the starter - baseline), the two of a round launched at once: for the launches
	 * ({@code param} "-") or for {@code SecondContextApp}'s pairs ("second"); NaN when there are none.
	 */
	private double pairedMedian(String param, String metric) {
		Map<Integer, Double> baseline = new HashMap<>();
		this.rows.stream()
			.filter((r) -> r.part().equals("startup") && r.arm().equals("WITHOUT_STARTER") && r.param().equals(param)
					&& r.metric().equals(metric))
			.forEach((r) -> baseline.put(r.round(), r.value()));
		double[] differences = this.rows.stream()
			.filter((r) -> r.part().equals("startup") && r.arm().equals("WITH_STARTER") && r.param().equals(param)
					&& r.metric().equals(metric) && baseline.containsKey(r.round()))
			.mapToDouble((r) -> r.value() - baseline.get(r.round()))
			.sorted()
			.toArray();
		return medianOfSorted(differences);
	}

	private long secondCount() {
		return this.rows.stream()
			.filter((r) -> r.part().equals("startup") && r.arm().equals("WITH_STARTER") && r.param().equals("second")
					&& r.metric().equals("second_ms"))
			.count();
	}

	private double startupMedian(String arm, String metric) {
		return startupMedian(arm, "-", metric);
	}

	private double startupMedian(String arm, String param, String metric) {
		return medianOf((r) -> r.part().equals("startup") && r.arm().equals(arm) && r.param().equals(param)
				&& r.metric().equals(metric));
	}

	// (h) -----------------------------------------------------------------------------------------------------

	private void streaming() {
		line("## Large bodies and many in flight (each measurement in a child JVM of its own)");
		line("");
		if (params("download").isEmpty() && params("inflight").isEmpty()) {
			line("Not measured.");
			line("");
			return;
		}
		download();
		inFlight();
	}

	private void download() {
		line("### 1 GiB download to a file, client JVM `-Xmx64m -XX:+UseSerialGC`");
		line("");
		line("`/big` is a sparse 1 GiB file nginx sends with `sendfile`; the client writes it to a file (tmpfs when it "
				+ "has room), after three unrecorded downloads of the 64 MiB `/warm`. MB = 1,048,576 bytes. Peak heap: "
				+ "the sum of the heap pools' peaks during the download, garbage included (largest of the runs); "
				+ "heap after GC: the most left after any collection (the live set). Direct memory is sampled every 5 ms. "
				+ "Medians of the runs, arms alternating.");
		line("");
		line("| Arm | Completed | MB/s | CPU s (whole process) | Peak heap MB | Heap after GC, max MB | GCs | Direct memory, max MB |");
		line("|---|---:|---:|---:|---:|---:|---:|---:|");
		Map<String, String> labels = new java.util.LinkedHashMap<>();
		labels.put("OURS", "HttpClient `download(Path)`");
		labels.put("WEBCLIENT", "plain WebClient `bodyToFlux(DataBuffer.class)` + `DataBufferUtils.write`");
		double base = downloadValue("WEBCLIENT", "mbps", false);
		for (Map.Entry<String, String> arm : labels.entrySet()) {
			double mbps = downloadValue(arm.getKey(), "mbps", false);
			line(fmt("| %s | %s | %.0f (%s) | %.2f | %.1f | %.1f | %.0f | %.1f |", arm.getValue(),
					completed("download", arm.getKey(), "1GiB"), mbps, ratio(mbps, base),
					downloadValue(arm.getKey(), "cpu_s", false), downloadValue(arm.getKey(), "heap_peak_mb", true),
					downloadValue(arm.getKey(), "heap_after_gc_max_mb", true),
					downloadValue(arm.getKey(), "gc_count", false), downloadValue(arm.getKey(), "direct_max_mb", true)));
		}
		line("");
		double peak = downloadValue("OURS", "heap_peak_mb", true);
		double heapMax = downloadValue("OURS", "heap_max_mb", true);
		String done = completed("download", "OURS", "1GiB");
		boolean allDone = !done.isEmpty() && done.split("/")[0].equals(done.split("/")[1]);
		double throughput = downloadValue("OURS", "mbps", false) / base;
		line("| Target | Figure | Met |");
		line("|---|---:|---|");
		line(fmt("| a 1 GiB download at `-Xmx64m` completes with peak heap ≤ 64 MB | %s completed, peak %.1f MB of %.1f MB | %s |",
				done, peak, heapMax, met(allDone && peak <= 64)));
		line(fmt("| download throughput ours ≥ 0.8 × plain WebClient `bodyToFlux(DataBuffer)` | %.2f × | %s |", throughput,
				met(throughput >= 0.8)));
		line("");
	}

	private double downloadValue(String arm, String metric, boolean max) {
		Predicate<RawResults.Row> of = (r) -> r.part().equals("download") && r.arm().equals(arm)
				&& r.metric().equals(metric);
		if (max) {
			return this.rows.stream().filter(of).mapToDouble(RawResults.Row::value).max().orElse(Double.NaN);
		}
		return medianOf(of);
	}

	private String completed(String part, String arm, String param) {
		List<RawResults.Row> runs = this.rows.stream()
			.filter((r) -> r.part().equals(part) && r.arm().equals(arm) && r.param().equals(param)
					&& r.metric().equals("completed"))
			.toList();
		if (runs.isEmpty()) {
			return "";
		}
		return fmt("%d/%d", runs.stream().filter((r) -> r.value() == 1).count(), runs.size());
	}

	private void inFlight() {
		line("### Many requests in flight, JSON GETs fired at once, client JVM `-Xmx256m -XX:+UseSerialGC`");
		line("");
		Set<String> params = params("inflight");
		if (params.isEmpty()) {
			line("Not measured.");
			line("");
			return;
		}
		line("One thread subscribes every request without waiting while nginx's worker is stopped (SIGSTOP), so all "
				+ "are in flight at once (on one of 500 connections or waiting for one) before it resumes. `queue`: "
				+ "default pool, `pending-acquire-max-count` -1 (no limit), `pending-acquire-timeout` 60 s; `defaults`: "
				+ "`HttpConfig.Pool.DEFAULTS` (1,000 may wait). Peak threads: `ThreadMXBean.getPeakThreadCount()` "
				+ "reset before firing, the JVM's own threads included. Medians of the runs.");
		line("");
		line("| Arm | Requests | Pool | Completed runs | OK | Failed | Max in flight | Max waiting for a connection | Max connections in use | Peak threads (before) | Peak heap MB | Heap after GC, max MB | Firing ms | Wall ms |");
		line("|---|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (String arm : List.of("OURS", "WEBCLIENT")) {
			for (String param : params) {
				Predicate<RawResults.Row> of = (r) -> r.part().equals("inflight") && r.arm().equals(arm)
						&& r.param().equals(param);
				if (this.rows.stream().noneMatch(of)) {
					continue;
				}
				String[] cell = param.split("\\|");
				List<String> failures = this.rows.stream()
					.filter(of.and((r) -> r.metric().startsWith("failure:") && r.round() == 1))
					.map((r) -> r.metric().substring(8) + " " + fmt("%.0f", r.value()))
					.toList();
				double failed = value(of, "failed");
				double afterGc = value(of, "heap_after_gc_max_mb");
				line(fmt("| %s | %,d | %s | %s | %.0f | %s | %.0f | %.0f | %.0f | %.0f (%.0f) | %.1f | %s | %.0f | %.0f |",
						arm.equals("OURS") ? "HttpClient" : "plain WebClient (information)", Integer.parseInt(cell[0]),
						cell[1], completed("inflight", arm, param), value(of, "ok"),
						fmt("%.0f", failed) + (failures.isEmpty() ? "" : " (" + String.join(", ", failures) + ")"),
						value(of, "max_in_flight"), value(of, "max_pending"), value(of, "max_active"),
						value(of, "peak_threads"), value(of, "threads_before"), value(of, "heap_peak_mb"),
						Double.isNaN(afterGc) ? "no GC" : fmt("%.1f", afterGc), value(of, "fire_ms"),
						value(of, "wall_ms")));
			}
		}
		line("");
		Predicate<RawResults.Row> tenK = (r) -> r.part().equals("inflight") && r.arm().equals("OURS")
				&& r.param().equals("10000|queue");
		Predicate<RawResults.Row> oneK = (r) -> r.part().equals("inflight") && r.arm().equals("OURS")
				&& r.param().equals("1000|queue");
		double ok = value(tenK, "ok");
		double failed = value(tenK, "failed");
		double inFlight = value(tenK, "max_in_flight");
		double peak10k = this.rows.stream()
			.filter(tenK.and((r) -> r.metric().equals("peak_threads")))
			.mapToDouble(RawResults.Row::value)
			.max()
			.orElse(Double.NaN);
		double peak1k = this.rows.stream()
			.filter(oneK.and((r) -> r.metric().equals("peak_threads")))
			.mapToDouble(RawResults.Row::value)
			.min()
			.orElse(Double.NaN);
		line("| Target | Figure | Met |");
		line("|---|---:|---|");
		line(fmt("| 10,000 requests in flight all complete | %.0f in flight at once; %.0f ok, %.0f failed (median of %s runs) | %s |",
				inFlight, ok, failed, completed("inflight", "OURS", "10000|queue"), met(ok == 10_000 && failed == 0)));
		line(fmt("| on a bounded thread count: peak threads with 10,000 in flight ≤ with 1,000 | %.0f vs %.0f (largest at 10,000, smallest at 1,000) | %s |",
				peak10k, peak1k, met(peak10k <= peak1k)));
		line("");
	}

	// (i) -----------------------------------------------------------------------------------------------------

	private void tcp() {
		line("## TCP exchanges: TcpClient against plain Reactor Netty (issue 8)");
		line("");
		if (params("tcp").isEmpty()) {
			line("Not measured.");
			line("");
			return;
		}
		line("Line echo server (Reactor Netty) in its own JVM on the server CPU; client JVM on the client CPU; "
				+ TcpBenchmarks.CONNECTIONS + " connections, each sending its next 32-byte frame as soon as the "
				+ "previous reply arrived; rounds interleaved (plain, ours). Each JVM is pinned to one CPU and runs one Reactor "
				+ "Netty I/O thread (`-Dreactor.netty.ioWorkerCount=1`; the default of four threads taking turns on one CPU "
				+ "cost both arms about 40 % and doubled the spread of the rounds). CPU is the client JVM's, per exchange.");
		line("");
		line("TcpClient has its defaults (retries, timeouts, pool) and records its meters in a SimpleMeterRegistry, as "
				+ "the auto-configured client does; the last columns are the same client without a registry.");
		line("");
		line("| Round | plain Reactor Netty exchanges/s | TcpClient exchanges/s | ratio | plain µs CPU/exchange "
				+ "| TcpClient µs CPU/exchange | ratio | no meters exchanges/s | no meters µs CPU/exchange |");
		line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		List<Double> rateRatios = new ArrayList<>();
		List<Double> cpuRatios = new ArrayList<>();
		List<Double> bareRatios = new ArrayList<>();
		int rounds = this.rows.stream().filter((r) -> r.part().equals("tcp")).mapToInt(RawResults.Row::round).max().orElse(0);
		for (int round = 1; round <= rounds; round++) {
			int n = round;
			double plainRate = value((r) -> r.part().equals("tcp") && r.arm().equals("PLAIN_NETTY") && r.round() == n,
					"exchanges_per_s");
			double oursRate = value((r) -> r.part().equals("tcp") && r.arm().equals("TCP_CLIENT") && r.round() == n,
					"exchanges_per_s");
			double plainCpu = value((r) -> r.part().equals("tcp") && r.arm().equals("PLAIN_NETTY") && r.round() == n,
					"cpu_us_per_exchange");
			double oursCpu = value((r) -> r.part().equals("tcp") && r.arm().equals("TCP_CLIENT") && r.round() == n,
					"cpu_us_per_exchange");
			double bareRate = value((r) -> r.part().equals("tcp") && r.arm().equals("TCP_CLIENT_NO_METERS")
					&& r.round() == n, "exchanges_per_s");
			double bareCpu = value((r) -> r.part().equals("tcp") && r.arm().equals("TCP_CLIENT_NO_METERS")
					&& r.round() == n, "cpu_us_per_exchange");
			rateRatios.add(oursRate / plainRate);
			cpuRatios.add(oursCpu / plainCpu);
			bareRatios.add(bareRate / plainRate);
			line(fmt("| %d | %.0f | %.0f | %.3f | %.1f | %.1f | %.3f | %.0f | %.1f |", round, plainRate, oursRate,
					oursRate / plainRate, plainCpu, oursCpu, oursCpu / plainCpu, bareRate, bareCpu));
		}
		double rate = medianOfList(rateRatios);
		double cpu = medianOfList(cpuRatios);
		line("");
		line("| Target | Figure | Met |");
		line("|---|---:|---|");
		line(fmt("| exchanges/s ≥ 0.95 × plain Reactor Netty (median of the per-round ratios) | %.3f × | %s |", rate,
				met(rate >= 0.95)));
		line(fmt("| (information) client CPU per exchange, median ratio | %.3f × | |", cpu));
		line(fmt("| (information) exchanges/s without a meter registry, median ratio | %.3f × | |",
				medianOfList(bareRatios)));
		line("");
	}

	private static double medianOfList(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter((v) -> !Double.isNaN(v)).sorted().toArray();
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int mid = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	}

	// helpers --------------------------------------------------------------------------------------------------

	private List<String> cells(String part) {
		Set<String> cells = new LinkedHashSet<>();
		this.rows.stream().filter((r) -> r.part().equals(part)).forEach((r) -> cells.add(r.decode() + "|" + r.param()));
		return new ArrayList<>(cells);
	}

	private Set<String> params(String part) {
		Set<String> params = new LinkedHashSet<>();
		this.rows.stream().filter((r) -> r.part().equals(part)).forEach((r) -> params.add(r.param()));
		return params;
	}

	private double median(String part, Arm arm, String cell, String metric) {
		return medianOf((r) -> r.part().equals(part) && r.arm().equals(arm.name())
				&& (r.decode() + "|" + r.param()).equals(cell) && r.metric().equals(metric));
	}

	/**
	 * The median over rounds of {@code arm}'s value divided by plain WebClient's in the same round: the arms of a
	 * round run one after the other, so a pair shares the machine's state of the moment.
	 */
	private double pairedRatio(String part, Arm arm, String cell, String metric) {
		Map<Integer, Double> base = new HashMap<>();
		Predicate<RawResults.Row> of = (r) -> r.part().equals(part) && (r.decode() + "|" + r.param()).equals(cell)
				&& r.metric().equals(metric);
		this.rows.stream()
			.filter(of.and((r) -> r.arm().equals(Arm.WEBCLIENT.name())))
			.forEach((r) -> base.put(r.round(), r.value()));
		double[] ratios = this.rows.stream()
			.filter(of.and((r) -> r.arm().equals(arm.name()) && base.containsKey(r.round())))
			.mapToDouble((r) -> r.value() / base.get(r.round()))
			.filter((v) -> !Double.isNaN(v))
			.sorted()
			.toArray();
		return medianOfSorted(ratios);
	}

	private double sum(String part, Arm arm, String cell, String metric) {
		return this.rows.stream()
			.filter((r) -> r.part().equals(part) && r.arm().equals(arm.name())
					&& (r.decode() + "|" + r.param()).equals(cell) && r.metric().equals(metric))
			.mapToDouble(RawResults.Row::value)
			.sum();
	}

	private double medianOf(Predicate<RawResults.Row> filter) {
		double[] values = this.rows.stream().filter(filter).mapToDouble(RawResults.Row::value).filter((v) -> !Double.isNaN(v)).sorted().toArray();
		return medianOfSorted(values);
	}

	private static double medianOfSorted(double[] values) {
		if (values.length == 0) {
			return Double.NaN;
		}
		int mid = values.length / 2;
		return (values.length % 2 == 1) ? values[mid] : (values[mid - 1] + values[mid]) / 2;
	}

	private double value(Predicate<RawResults.Row> of, String metric) {
		return medianOf(of.and((r) -> r.metric().equals(metric)));
	}

	private static String ratio(double value, double base) {
		return (Double.isNaN(value) || Double.isNaN(base) || base == 0) ? "–" : fmt("%.2f ×", value / base);
	}

	private static String met(boolean met) {
		return met ? "met" : "**missed**";
	}

	private static String fmt(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

	private static String read(Path file) throws IOException {
		return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "unknown";
	}

	private void line(String text) {
		this.md.append(text).append('\n');
	}

}
