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
 * Part (b) of the report: client CPU per request and latency at a fixed offered rate (open loop), per arm and
 * cell, against the target ours ≤ 1.10 × plain WebClient (median of the rounds' ratios). Also writes
 * {@code raw/cpu.dat}, the CPU chart's data.
 */
final class CpuPerRequestSection implements ReportSection {

	private static final String PART = "openloop";

	private final Statistics stats;

	private final Path dir;

	/**
	 * Create the section.
	 * @param stats the raw measurements
	 * @param dir the results directory, holding {@code raw/}
	 */
	CpuPerRequestSection(Statistics stats, Path dir) {
		this.stats = stats;
		this.dir = dir;
	}

	@Override
	public void write(Markdown md) throws IOException {
		md.line("## Client CPU per request at a fixed offered rate (open loop)");
		md.line("");
		md.line("Process CPU time (every thread's on-CPU time from /proc/self/task/*/schedstat, GC and JIT included; "
				+ "getProcessCpuTime() counts 10 ms ticks; a thread that ends keeps counting with its last reading) divided by "
				+ "requests, while one driver thread sends at fixed intended times; latency is measured from the "
				+ "intended send time. The rounds are recorded after three unrecorded passes of the same cells (every "
				+ "client but the JDK one): before them, the compiler threads filled the core and every client "
				+ "measured about 500 µs per request.");
		md.line("");
		List<String> cells = this.stats.cells(PART);
		if (cells.isEmpty()) {
			md.notMeasured();
			return;
		}
		cpu(md, cells);
		latency(md, cells);
		targets(md, cells);
	}

	private void cpu(Markdown md, List<String> cells) throws IOException {
		md.tableHeader("Arm", cells.stream().map((c) -> c.replace("|", " ") + "/s µs CPU/request").toList());
		StringBuilder dat = new StringBuilder("arm " + String.join(" ", cells.stream().map((c) -> c.replace("|", "_") + "/s").toList()) + "\n");
		for (Arm arm : Arm.values()) {
			List<String> values = new ArrayList<>();
			dat.append('"').append(arm.label()).append('"');
			for (String cell : cells) {
				double v = this.stats.median(PART, arm, cell, "cpu_us");
				double base = this.stats.median(PART, Arm.WEBCLIENT, cell, "cpu_us");
				values.add(Double.isNaN(v) ? "–" : fmt("%.1f (%s)", v, ratio(v, base)));
				dat.append(' ').append(fmt("%.2f", v));
			}
			dat.append('\n');
			md.tableRow(arm.label(), values);
		}
		Files.writeString(this.dir.resolve("raw/cpu.dat"), dat);
		md.line("");
	}

	private void latency(Markdown md, List<String> cells) {
		md.line("Latency of successful requests, µs (median over rounds of p50 / p99 / p99.9), and errors summed over rounds:");
		md.line("");
		md.tableHeader("Arm", cells.stream().map((c) -> c.replace("|", " ") + "/s").toList());
		for (Arm arm : Arm.values()) {
			List<String> values = new ArrayList<>();
			for (String cell : cells) {
				double errors = this.stats.sum(PART, arm, cell, "errors");
				if (Double.isNaN(this.stats.median(PART, arm, cell, "p50_us"))) {
					values.add("–");
					continue;
				}
				values.add(fmt("%.0f / %.0f / %.0f", this.stats.median(PART, arm, cell, "p50_us"),
						this.stats.median(PART, arm, cell, "p99_us"), this.stats.median(PART, arm, cell, "p999_us"))
						+ ((errors > 0) ? fmt(", %.0f errors", errors) : ""));
			}
			md.tableRow(arm.label(), values);
		}
		md.line("");
	}

	private void targets(Markdown md, List<String> cells) {
		md.line("| Target | Case | Figure | Met |");
		md.line("|---|---|---:|---|");
		for (String cell : cells) {
			double base = this.stats.median(PART, Arm.WEBCLIENT, cell, "cpu_us");
			double ours = this.stats.pairedRatio(PART, Arm.OURS, cell, "cpu_us");
			double off = this.stats.pairedRatio(PART, Arm.OURS_NO_METERS, cell, "cpu_us");
			md.line(fmt("| CPU/request ours ≤ 1.10 × plain WebClient (median of the rounds' pairs; ratio of the medians "
					+ "%.2f ×) | %s/s | %.2f × | %s |", this.stats.median(PART, Arm.OURS, cell, "cpu_us") / base,
					cell.replace("|", " "), ours, met(ours <= 1.10)));
			md.line(fmt("| (information) own meters off (ratio of the medians %.2f ×) | %s/s | %.2f × | |",
					this.stats.median(PART, Arm.OURS_NO_METERS, cell, "cpu_us") / base, cell.replace("|", " "), off));
		}
		md.line("");
	}

}
