package io.pepperpy.network.benchmarks;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static io.pepperpy.network.benchmarks.Markdown.fmt;
import static io.pepperpy.network.benchmarks.Markdown.met;

/**
 * Part (g) of the report: twice our capacity offered open loop, with the limiter at capacity and with defaults;
 * what keeps flowing, what is rejected and how fast, judged for each scenario.
 */
final class OverloadSection implements ReportSection {

	private final Statistics stats;

	/**
	 * Create the section.
	 * @param stats the raw measurements
	 */
	OverloadSection(Statistics stats) {
		this.stats = stats;
	}

	@Override
	public void write(Markdown md) {
		md.line("## Overload: offered 2 × our capacity (open loop, JSON)");
		md.line("");
		Set<String> scenarios = this.stats.params("overload");
		if (scenarios.isEmpty()) {
			md.notMeasured();
			return;
		}
		md.line("Capacity is our best closed-loop throughput (16 or 256 in flight), measured just before. `limiter`: max-rate-limit = "
				+ "capacity, rate-limit-timeout 100 ms. `defaults`: no limiter; the connection pool's pending-acquire "
				+ "limit is the only bound. Each scenario is recorded after one unrecorded 2 s pass of both.");
		md.line("");
		md.line("| Scenario | Capacity req/s | Offered req/s | Flowing req/s | Flowing % of capacity | Rejected % | Typed % | Rejection p50 / p99 / max ms | Success p99 ms | Failures |");
		md.line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
		for (String scenario : scenarios) {
			Predicate<RawResults.Row> of = of(scenario);
			List<String> failures = this.stats.select(of.and((r) -> r.metric().startsWith("failure:")))
				.stream()
				.map((r) -> r.metric().substring(8) + " " + fmt("%.0f", r.value()))
				.toList();
			md.line(fmt("| %s | %.0f | %.0f | %.0f | %.0f | %.1f | %.0f | %.1f / %.1f / %.1f | %.1f | %s |", scenario,
					value(of, "capacity_rps"), value(of, "offered_rps"), value(of, "flowing_rps"),
					value(of, "flowing_pct"), value(of, "rejected_pct"), value(of, "typed_pct"),
					value(of, "reject_p50_ms"), value(of, "reject_p99_ms"), value(of, "reject_max_ms"),
					value(of, "ok_p99_ms"), String.join(", ", failures)));
		}
		md.line("");
		md.line("| Target | Scenario | Figure | Met |");
		md.line("|---|---|---:|---|");
		// The issue asks for a bound by "the pool's pending limit or our limiter": each scenario is judged.
		for (String scenario : scenarios) {
			Predicate<RawResults.Row> of = of(scenario);
			double flowing = value(of, "flowing_pct");
			double typed = value(of, "typed_pct");
			double p99 = value(of, "reject_p99_ms");
			md.line(fmt("| ≥ 80 %% of capacity keeps flowing | %s | %.0f %% | %s |", scenario, flowing,
					met(flowing >= 80)));
			md.line(fmt("| rejections are typed NetworkException | %s | %.0f %% | %s |", scenario, typed,
					met(typed >= 100 || Double.isNaN(typed))));
			// With the limiter a caller waits at most its 100 ms rate-limit-timeout, and a caller held back by the
			// window's share after its slot came one more 100 ms window; the pool refuses at once when full.
			boolean limiter = scenario.equals("limiter");
			double bound = limiter ? 210 : 110;
			md.line(fmt("| rejections are fast and bounded: p99 ≤ %.0f ms (%s) | %s | %.1f ms | %s |", bound,
					limiter ? "the 100 ms rate-limit-timeout, one more 100 ms window for a caller held after its "
							+ "slot, + 10 ms"
							: "the full pool queue refuses at once: 100 ms + 10 ms, as for the limiter's timeout",
					scenario, p99,
					met(Double.isNaN(p99) || p99 <= bound)));
		}
		md.line("");
	}

	private static Predicate<RawResults.Row> of(String scenario) {
		return (r) -> r.part().equals("overload") && r.param().equals(scenario);
	}

	private double value(Predicate<RawResults.Row> of, String metric) {
		return this.stats.value(of, metric);
	}

}
