package io.pepperpy.network.benchmarks;

import java.util.Set;
import java.util.function.Predicate;

import static io.pepperpy.network.benchmarks.Markdown.fmt;
import static io.pepperpy.network.benchmarks.Markdown.met;

/**
 * Part (e) of the report: per retry delay d, the gap between a request's two arrivals at the server minus d, against
 * the target that no gap is shorter than d and the p99 is within d + 5 ms.
 */
final class RetryDelaySection implements ReportSection {

	private final Statistics stats;

	/**
	 * Create the section.
	 * @param stats the raw measurements
	 */
	RetryDelaySection(Statistics stats) {
		this.stats = stats;
	}

	@Override
	public void write(Markdown md) {
		md.line("## Retry delay accuracy (jitter off; gap between attempts at the server minus the delay d)");
		md.line("");
		Set<String> delays = this.stats.params("retry");
		if (delays.isEmpty()) {
			md.notMeasured();
			return;
		}
		md.line("| d ms | Samples | Failures | Min ms | p50 ms | p99 ms | Max ms | Met (p99 within [d, d + 5 ms]) |");
		md.line("|---:|---:|---:|---:|---:|---:|---:|---|");
		for (String delay : delays) {
			Predicate<RawResults.Row> of = (r) -> r.part().equals("retry") && r.param().equals(delay);
			double min = value(of, "min_ms");
			double p99 = value(of, "p99_ms");
			md.line(fmt("| %s | %.0f | %.0f | %+.2f | %+.2f | %+.2f | %+.2f | %s |", delay, value(of, "samples"),
					value(of, "failures"), min, value(of, "p50_ms"), p99, value(of, "max_ms"),
					met(min >= 0 && p99 <= 5)));
		}
		md.line("");
	}

	private double value(Predicate<RawResults.Row> of, String metric) {
		return this.stats.value(of, metric);
	}

}
