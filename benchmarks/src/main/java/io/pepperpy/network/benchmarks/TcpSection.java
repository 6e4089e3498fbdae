package io.pepperpy.network.benchmarks;

import java.util.ArrayList;
import java.util.List;

import static io.pepperpy.network.benchmarks.Markdown.fmt;
import static io.pepperpy.network.benchmarks.Markdown.met;

/**
 * Part (i) of the report (issue 8): TCP exchanges per second and client CPU per exchange of {@code TcpClient}
 * against plain Reactor Netty, round by round, against the target ≥ 0.95 × (median of the per-round ratios).
 */
final class TcpSection implements ReportSection {

	private static final String PART = "tcp";

	private final Statistics stats;

	/**
	 * Create the section.
	 * @param stats the raw measurements
	 */
	TcpSection(Statistics stats) {
		this.stats = stats;
	}

	@Override
	public void write(Markdown md) {
		md.line("## TCP exchanges: TcpClient against plain Reactor Netty (issue 8)");
		md.line("");
		if (this.stats.params(PART).isEmpty()) {
			md.notMeasured();
			return;
		}
		md.line("Line echo server (Reactor Netty) in its own JVM on the server CPU; client JVM on the client CPU; "
				+ TcpBenchmarks.CONNECTIONS + " connections, each sending its next 32-byte frame as soon as the "
				+ "previous reply arrived; rounds interleaved (plain, ours). Each JVM is pinned to one CPU and runs one Reactor "
				+ "Netty I/O thread (`-Dreactor.netty.ioWorkerCount=1`; the default of four threads taking turns on one CPU "
				+ "cost both arms about 40 % and doubled the spread of the rounds). CPU is the client JVM's, per exchange.");
		md.line("");
		md.line("TcpClient has its defaults (retries, timeouts, pool) and records its meters in a SimpleMeterRegistry, as "
				+ "the auto-configured client does; the last columns are the same client without a registry.");
		md.line("");
		md.line("| Round | plain Reactor Netty exchanges/s | TcpClient exchanges/s | ratio | plain µs CPU/exchange "
				+ "| TcpClient µs CPU/exchange | ratio | no meters exchanges/s | no meters µs CPU/exchange |");
		md.line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		List<Double> rateRatios = new ArrayList<>();
		List<Double> cpuRatios = new ArrayList<>();
		List<Double> bareRatios = new ArrayList<>();
		int rounds = this.stats.lastRound(PART);
		for (int round = 1; round <= rounds; round++) {
			double plainRate = value("PLAIN_NETTY", round, "exchanges_per_s");
			double oursRate = value("TCP_CLIENT", round, "exchanges_per_s");
			double plainCpu = value("PLAIN_NETTY", round, "cpu_us_per_exchange");
			double oursCpu = value("TCP_CLIENT", round, "cpu_us_per_exchange");
			double bareRate = value("TCP_CLIENT_NO_METERS", round, "exchanges_per_s");
			double bareCpu = value("TCP_CLIENT_NO_METERS", round, "cpu_us_per_exchange");
			rateRatios.add(oursRate / plainRate);
			cpuRatios.add(oursCpu / plainCpu);
			bareRatios.add(bareRate / plainRate);
			md.line(fmt("| %d | %.0f | %.0f | %.3f | %.1f | %.1f | %.3f | %.0f | %.1f |", round, plainRate, oursRate,
					oursRate / plainRate, plainCpu, oursCpu, oursCpu / plainCpu, bareRate, bareCpu));
		}
		double rate = Statistics.median(rateRatios);
		double cpu = Statistics.median(cpuRatios);
		md.line("");
		md.line("| Target | Figure | Met |");
		md.line("|---|---:|---|");
		md.line(fmt("| exchanges/s ≥ 0.95 × plain Reactor Netty (median of the per-round ratios) | %.3f × | %s |", rate,
				met(rate >= 0.95)));
		md.line(fmt("| (information) client CPU per exchange, median ratio | %.3f × | |", cpu));
		md.line(fmt("| (information) exchanges/s without a meter registry, median ratio | %.3f × | |",
				Statistics.median(bareRatios)));
		md.line("");
	}

	/**
	 * {@code arm}'s {@code metric} in {@code round} (the median, should a round have been recorded twice).
	 */
	private double value(String arm, int round, String metric) {
		return this.stats.value((r) -> r.part().equals(PART) && r.arm().equals(arm) && r.round() == round, metric);
	}

}
