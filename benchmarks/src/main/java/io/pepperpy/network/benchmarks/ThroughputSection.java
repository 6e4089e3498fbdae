package io.pepperpy.network.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.pepperpy.network.benchmarks.Markdown.fmt;
import static io.pepperpy.network.benchmarks.Markdown.met;
import static io.pepperpy.network.benchmarks.Markdown.ratio;

/**
 * Part (c) of the report: closed-loop throughput with JSON decode per arm and concurrency, for information, with the
 * targets ours ≥ 0.95 × plain WebClient (median of the rounds' ratios) and ahead of the other clients at 256 in
 * flight. Also writes {@code raw/throughput.dat}, the throughput chart's data.
 */
final class ThroughputSection implements ReportSection {

	private static final String PART = "closedloop";

	private final Statistics stats;

	private final Path dir;

	/**
	 * Create the section.
	 * @param stats the raw measurements
	 * @param dir the results directory, holding {@code raw/}
	 */
	ThroughputSection(Statistics stats, Path dir) {
		this.stats = stats;
		this.dir = dir;
	}

	@Override
	public void write(Markdown md) throws IOException {
		md.line("## Closed-loop throughput, JSON decode (information)");
		md.line("");
		List<String> cells = this.stats.cells(PART);
		if (cells.isEmpty()) {
			md.notMeasured();
			return;
		}
		md.line("Connection limits: the three Reactor Netty arms use the pool settings `HttpClient` builds (`ConnectionPool.DEFAULTS`: 500 connections, 1,000 pending); "
				+ "OkHttp's dispatcher and Apache's pool are raised to 256 per host; the JDK client has no limit.");
		md.line("");
		md.tableHeader("Arm", cells.stream().map((c) -> "c=" + concurrency(c) + " req/s").toList());
		StringBuilder dat = new StringBuilder("arm " + String.join(" ", cells.stream().map((c) -> "c" + concurrency(c)).toList()) + "\n");
		for (Arm arm : Arm.values()) {
			List<String> values = new ArrayList<>();
			dat.append('"').append(arm.label()).append('"');
			for (String cell : cells) {
				double v = this.stats.median(PART, arm, cell, "rps");
				double base = this.stats.median(PART, Arm.WEBCLIENT, cell, "rps");
				double errors = this.stats.median(PART, arm, cell, "error_pct");
				values.add(fmt("%.0f (%s)", v, ratio(v, base)) + ((errors > 0) ? fmt(", %.1f %% errors", errors) : ""));
				dat.append(' ').append(fmt("%.0f", v));
			}
			dat.append('\n');
			md.tableRow(arm.label(), values);
		}
		Files.writeString(this.dir.resolve("raw/throughput.dat"), dat);
		md.line("");
		md.line("| Target | Case | Figure | Met |");
		md.line("|---|---|---:|---|");
		String last = null;
		for (String cell : cells) {
			double ratio = this.stats.pairedRatio(PART, Arm.OURS, cell, "rps");
			md.line(fmt("| throughput ours ≥ 0.95 × plain WebClient (median of the rounds' pairs; ratio of the medians "
					+ "%.2f ×) | c=%s | %.2f × | %s |",
					this.stats.median(PART, Arm.OURS, cell, "rps") / this.stats.median(PART, Arm.WEBCLIENT, cell, "rps"),
					concurrency(cell), ratio, met(ratio >= 0.95)));
			last = cell;
		}
		if (last != null && last.endsWith("|256")) {
			double ours = this.stats.median(PART, Arm.OURS, last, "rps");
			for (Arm other : List.of(Arm.OKHTTP, Arm.RESTCLIENT_JDK, Arm.APACHE_ASYNC)) {
				double theirs = this.stats.median(PART, other, last, "rps");
				md.line(fmt("| ours ahead of %s | c=256 | %.0f vs %.0f req/s | %s |", other.label(), ours, theirs,
						met(ours > theirs)));
			}
		}
		md.line("");
	}

	/**
	 * The requests in flight of a cell such as {@code JSON|256}.
	 */
	private static String concurrency(String cell) {
		return cell.split("\\|")[1];
	}

}
