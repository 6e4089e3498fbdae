package io.pepperpy.network.benchmarks;

import java.util.Set;
import java.util.function.Predicate;

import static io.pepperpy.network.benchmarks.Markdown.fmt;
import static io.pepperpy.network.benchmarks.Markdown.met;

/**
 * Part (d) of the report: the rate limiter's accuracy per limit R, at the server by arrival time and as the requests
 * leave our client, against the targets achieved rate within 1 % of R and no 100 ms window above R/10 + 1.
 */
final class RateLimiterSection implements ReportSection {

	private final Statistics stats;

	/**
	 * Create the section.
	 * @param stats the raw measurements
	 */
	RateLimiterSection(Statistics stats) {
		this.stats = stats;
	}

	@Override
	public void write(Markdown md) {
		md.line("## Rate limiter accuracy (measured at the server by arrival time)");
		md.line("");
		Set<String> rates = this.stats.params("ratelimit");
		if (rates.isEmpty()) {
			md.notMeasured();
			return;
		}
		md.line("At the server, with the requests' times as they leave our client for the connector (after the limiter) "
				+ "beside them: what the limiter let through, and what the way from the client to the server's "
				+ "handler (event loops, the kernel, the server's own scheduling on a core it shares with the "
				+ "client) bunched.");
		md.line("");
		md.line("| Limit req/s | Demand req/s | Seconds | Achieved req/s | Error % | Max in any 100 ms | Allowed (R/10 + 1) | As sent: req/s | As sent: max in any 100 ms | Rejected (RATE_LIMITED) | of which after waiting ≥ 0.5 s | Other failures | Met |");
		md.line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
		for (String rate : rates) {
			Predicate<RawResults.Row> of = (r) -> r.part().equals("ratelimit") && r.param().equals(rate);
			double error = value(of, "error_pct");
			double max = value(of, "max_100ms");
			double allowed = value(of, "allowed_100ms");
			md.line(fmt("| %s | %.0f | %.0f | %.2f | %+.2f | %.0f | %.0f | %.2f | %.0f | %.0f | %.0f | %.0f | %s |", rate,
					value(of, "demand_rps"), value(of, "seconds"), value(of, "achieved_rps"), error, max, allowed,
					value(of, "achieved_rps_sent"), value(of, "max_100ms_sent"), value(of, "rejected"),
					value(of, "refused_late"), value(of, "other_failures"), met(Math.abs(error) <= 1 && max <= Math.floor(allowed))));
		}
		md.line("");
	}

	private double value(Predicate<RawResults.Row> of, String metric) {
		return this.stats.value(of, metric);
	}

}
