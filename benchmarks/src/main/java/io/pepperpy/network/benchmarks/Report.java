package io.pepperpy.network.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns the raw measurements and the JMH results into {@code results.md} and the data files the charts are drawn
 * from. Arguments: the results directory (holding {@code raw/}), the command that produced them. The machine, the
 * command and how to read the figures come first, then one {@link ReportSection} per part of the benchmark.
 */
public final class Report {

	private Report() {
	}

	public static void main(String[] args) throws IOException {
		Path dir = Path.of(args[0]);
		String command = (args.length > 1) ? args[1] : "benchmarks/run.sh";
		Statistics stats = new Statistics(RawResults.read(dir.resolve("raw/measurements.tsv")));
		List<ReportSection> sections = List.of(new AllocationSection(dir), new CpuPerRequestSection(stats, dir),
				new ThroughputSection(stats, dir), new OverloadSection(stats), new RateLimiterSection(stats),
				new RetryDelaySection(stats), new StartupSection(stats), new StreamingSection(stats),
				new TcpSection(stats));
		Markdown md = new Markdown();
		introduction(md, read(dir.resolve("raw/machine.txt")).strip(), command);
		for (ReportSection section : sections) {
			section.write(md);
		}
		Files.writeString(dir.resolve("results.md"), md.toString(), StandardCharsets.UTF_8);
		System.out.println(md);
	}

	private static void introduction(Markdown md, String machine, String command) {
		md.line("# pepperpy-network benchmark results");
		md.line("");
		md.line("Machine: " + machine.replace("\n", "; "));
		md.line("");
		md.line("Command: `" + command + "`");
		md.line("");
		md.line("Every ratio is to plain WebClient (same connector, pool and observation registry as ours). Medians of "
				+ "the rounds, arms interleaved within each round; in parts (b) and (c) plain WebClient and ours run in "
				+ "5 rounds, the other clients in 3 (RestClient on the JDK client in 2: it cannot sustain the offered "
				+ "rates, so each of its open-loop runs ends with seconds of queue), and in open loop the other "
				+ "clients at 2,000 req/s only (–: not run), which keeps the harness within 15 minutes. KB = 1,024 bytes. Throughput is information; "
				+ "the gating figures are CPU per request at a fixed rate and allocation per request.");
		md.line("");
	}

	private static String read(Path file) throws IOException {
		return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "unknown";
	}

}
