package io.pepperpy.network.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static io.pepperpy.network.benchmarks.Markdown.fmt;
import static io.pepperpy.network.benchmarks.Markdown.met;
import static io.pepperpy.network.benchmarks.Markdown.ratio;

/**
 * Part (h) of the report, large bodies and many in flight: a 1 GiB download at {@code -Xmx64m} by ours and by plain
 * WebClient, against the targets peak heap ≤ 64 MB and throughput ≥ 0.8 × WebClient; then 1,000 and 10,000 requests
 * fired at once, against the targets that all 10,000 complete on no more threads than 1,000.
 */
final class StreamingSection implements ReportSection {

	private final Statistics stats;

	/**
	 * Create the section.
	 * @param stats the raw measurements
	 */
	StreamingSection(Statistics stats) {
		this.stats = stats;
	}

	@Override
	public void write(Markdown md) {
		md.line("## Large bodies and many in flight (each measurement in a child JVM of its own)");
		md.line("");
		if (this.stats.params("download").isEmpty() && this.stats.params("inflight").isEmpty()) {
			md.notMeasured();
			return;
		}
		download(md);
		inFlight(md);
	}

	private void download(Markdown md) {
		md.line("### 1 GiB download to a file, client JVM `-Xmx64m -XX:+UseSerialGC`");
		md.line("");
		md.line("`/big` is a sparse 1 GiB file nginx sends with `sendfile`; the client writes it to a file (tmpfs when it "
				+ "has room), after three unrecorded downloads of the 64 MiB `/warm`. MB = 1,048,576 bytes. Peak heap: "
				+ "the sum of the heap pools' peaks during the download, garbage included (largest of the runs); "
				+ "heap after GC: the most left after any collection (the live set). Direct memory is sampled every 5 ms. "
				+ "Medians of the runs, arms alternating.");
		md.line("");
		md.line("| Arm | Completed | MB/s | CPU s (whole process) | Peak heap MB | Heap after GC, max MB | GCs | Direct memory, max MB |");
		md.line("|---|---:|---:|---:|---:|---:|---:|---:|");
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("OURS", "HttpClient `download(Path)`");
		labels.put("WEBCLIENT", "plain WebClient `bodyToFlux(DataBuffer.class)` + `DataBufferUtils.write`");
		double base = downloadValue("WEBCLIENT", "mbps", false);
		for (Map.Entry<String, String> arm : labels.entrySet()) {
			double mbps = downloadValue(arm.getKey(), "mbps", false);
			md.line(fmt("| %s | %s | %.0f (%s) | %.2f | %.1f | %.1f | %.0f | %.1f |", arm.getValue(),
					completed("download", arm.getKey(), "1GiB"), mbps, ratio(mbps, base),
					downloadValue(arm.getKey(), "cpu_s", false), downloadValue(arm.getKey(), "heap_peak_mb", true),
					downloadValue(arm.getKey(), "heap_after_gc_max_mb", true),
					downloadValue(arm.getKey(), "gc_count", false), downloadValue(arm.getKey(), "direct_max_mb", true)));
		}
		md.line("");
		double peak = downloadValue("OURS", "heap_peak_mb", true);
		double heapMax = downloadValue("OURS", "heap_max_mb", true);
		String done = completed("download", "OURS", "1GiB");
		boolean allDone = !done.isEmpty() && done.split("/")[0].equals(done.split("/")[1]);
		double throughput = downloadValue("OURS", "mbps", false) / base;
		md.line("| Target | Figure | Met |");
		md.line("|---|---:|---|");
		md.line(fmt("| a 1 GiB download at `-Xmx64m` completes with peak heap ≤ 64 MB | %s completed, peak %.1f MB of %.1f MB | %s |",
				done, peak, heapMax, met(allDone && peak <= 64)));
		md.line(fmt("| download throughput ours ≥ 0.8 × plain WebClient `bodyToFlux(DataBuffer)` | %.2f × | %s |", throughput,
				met(throughput >= 0.8)));
		md.line("");
	}

	/**
	 * The largest of the download runs' {@code metric} ({@code max}), or their median.
	 */
	private double downloadValue(String arm, String metric, boolean max) {
		Predicate<RawResults.Row> of = (r) -> r.part().equals("download") && r.arm().equals(arm)
				&& r.metric().equals(metric);
		if (max) {
			return this.stats.max(of);
		}
		return this.stats.medianOf(of);
	}

	/**
	 * How many runs completed, of how many, such as {@code 3/3}; empty when there were none.
	 */
	private String completed(String part, String arm, String param) {
		List<RawResults.Row> runs = this.stats.select((r) -> r.part().equals(part) && r.arm().equals(arm)
				&& r.param().equals(param) && r.metric().equals("completed"));
		if (runs.isEmpty()) {
			return "";
		}
		return fmt("%d/%d", runs.stream().filter((r) -> r.value() == 1).count(), runs.size());
	}

	private void inFlight(Markdown md) {
		md.line("### Many requests in flight, JSON GETs fired at once, client JVM `-Xmx256m -XX:+UseSerialGC`");
		md.line("");
		Set<String> params = this.stats.params("inflight");
		if (params.isEmpty()) {
			md.notMeasured();
			return;
		}
		md.line("One thread subscribes every request without waiting while nginx's worker is stopped (SIGSTOP), so all "
				+ "are in flight at once (on one of 500 connections or waiting for one) before it resumes. `queue`: "
				+ "default pool, `pending-acquire-max-count` -1 (no limit), `pending-acquire-timeout` 60 s; `defaults`: "
				+ "`ConnectionPool.DEFAULTS` (1,000 may wait). Peak threads: `ThreadMXBean.getPeakThreadCount()` "
				+ "reset before firing, the JVM's own threads included. Medians of the runs.");
		md.line("");
		md.line("| Arm | Requests | Pool | Completed runs | OK | Failed | Max in flight | Max waiting for a connection | Max connections in use | Peak threads (before) | Peak heap MB | Heap after GC, max MB | Firing ms | Wall ms |");
		md.line("|---|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (String arm : List.of("OURS", "WEBCLIENT")) {
			for (String param : params) {
				Predicate<RawResults.Row> of = (r) -> r.part().equals("inflight") && r.arm().equals(arm)
						&& r.param().equals(param);
				if (this.stats.count(of) == 0) {
					continue;
				}
				String[] cell = param.split("\\|");
				List<String> failures = this.stats.select(of.and((r) -> r.metric().startsWith("failure:") && r.round() == 1))
					.stream()
					.map((r) -> r.metric().substring(8) + " " + fmt("%.0f", r.value()))
					.toList();
				double failed = value(of, "failed");
				double afterGc = value(of, "heap_after_gc_max_mb");
				md.line(fmt("| %s | %,d | %s | %s | %.0f | %s | %.0f | %.0f | %.0f | %.0f (%.0f) | %.1f | %s | %.0f | %.0f |",
						arm.equals("OURS") ? "HttpClient" : "plain WebClient (information)", Integer.parseInt(cell[0]),
						cell[1], completed("inflight", arm, param), value(of, "ok"),
						fmt("%.0f", failed) + (failures.isEmpty() ? "" : " (" + String.join(", ", failures) + ")"),
						value(of, "max_in_flight"), value(of, "max_pending"), value(of, "max_active"),
						value(of, "peak_threads"), value(of, "threads_before"), value(of, "heap_peak_mb"),
						Double.isNaN(afterGc) ? "no GC" : fmt("%.1f", afterGc), value(of, "fire_ms"),
						value(of, "wall_ms")));
			}
		}
		md.line("");
		Predicate<RawResults.Row> tenK = (r) -> r.part().equals("inflight") && r.arm().equals("OURS")
				&& r.param().equals("10000|queue");
		Predicate<RawResults.Row> oneK = (r) -> r.part().equals("inflight") && r.arm().equals("OURS")
				&& r.param().equals("1000|queue");
		double ok = value(tenK, "ok");
		double failed = value(tenK, "failed");
		double inFlight = value(tenK, "max_in_flight");
		double peak10k = this.stats.max(tenK.and((r) -> r.metric().equals("peak_threads")));
		double peak1k = this.stats.min(oneK.and((r) -> r.metric().equals("peak_threads")));
		md.line("| Target | Figure | Met |");
		md.line("|---|---:|---|");
		md.line(fmt("| 10,000 requests in flight all complete | %.0f in flight at once; %.0f ok, %.0f failed (median of %s runs) | %s |",
				inFlight, ok, failed, completed("inflight", "OURS", "10000|queue"), met(ok == 10_000 && failed == 0)));
		md.line(fmt("| on a bounded thread count: peak threads with 10,000 in flight ≤ with 1,000 | %.0f vs %.0f (largest at 10,000, smallest at 1,000) | %s |",
				peak10k, peak1k, met(peak10k <= peak1k)));
		md.line("");
	}

	private double value(Predicate<RawResults.Row> of, String metric) {
		return this.stats.value(of, metric);
	}

}
