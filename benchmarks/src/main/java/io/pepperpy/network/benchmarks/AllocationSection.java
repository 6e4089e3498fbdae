package io.pepperpy.network.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.pepperpy.network.benchmarks.Markdown.fmt;
import static io.pepperpy.network.benchmarks.Markdown.met;
import static io.pepperpy.network.benchmarks.Markdown.ratio;

/**
 * Part (a) of the report: allocation per request from JMH's {@code gc.alloc.rate.norm} ({@code raw/jmh.json}), per
 * arm and decode target, against the targets ours ≤ plain WebClient + 3 KB (own meters off) and + 6 KB (on). Also
 * writes {@code raw/alloc.dat}, the allocation chart's data.
 */
final class AllocationSection implements ReportSection {

	private static final double KB = 1024.0;

	private final Path dir;

	/**
	 * Create the section.
	 * @param dir the results directory, holding {@code raw/}
	 */
	AllocationSection(Path dir) {
		this.dir = dir;
	}

	@Override
	public void write(Markdown md) throws IOException {
		md.line("## Allocation per request (JMH `-prof gc`, gc.alloc.rate.norm, one caller thread)");
		md.line("");
		Path jmh = this.dir.resolve("raw/jmh.json");
		if (!Files.exists(jmh)) {
			md.notMeasured();
			return;
		}
		Map<Arm, Map<Decode, double[]>> alloc = read(jmh);
		md.tableHeader("Arm", Stream.concat(Arrays.stream(Decode.values()).map((d) -> d + " KB/request"),
				Arrays.stream(Decode.values()).map((d) -> d + " req/s, 1 thread")).toList());
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
			cells.addAll(ops);
			md.tableRow(arm.label(), cells);
		}
		Files.writeString(this.dir.resolve("raw/alloc.dat"), dat);
		md.line("");
		md.line("| Target | Decode | Figure | Met |");
		md.line("|---|---|---:|---|");
		for (Decode decode : Decode.values()) {
			double base = valueOf(alloc, Arm.WEBCLIENT, decode, 0);
			double off = valueOf(alloc, Arm.OURS_NO_METERS, decode, 0) - base;
			double on = valueOf(alloc, Arm.OURS, decode, 0) - base;
			if (Double.isNaN(off) || Double.isNaN(on)) {
				md.line(fmt("| ours ≤ plain WebClient + 3 KB (meters off), + 6 KB (on) | %s | not measured | |", decode));
				continue;
			}
			md.line(fmt("| ours, own meters off ≤ plain WebClient + 3 KB | %s | %+.1f KB | %s |", decode, off, met(off <= 3)));
			md.line(fmt("| ours, own meters on ≤ plain WebClient + 6 KB | %s | %+.1f KB | %s |", decode, on, met(on <= 6)));
		}
		md.line("");
	}

	/**
	 * Read JMH's results: per arm and decode target, KB allocated per request and requests per second.
	 */
	private static Map<Arm, Map<Decode, double[]>> read(Path jmh) {
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
		return alloc;
	}

	private static double valueOf(Map<Arm, Map<Decode, double[]>> alloc, Arm arm, Decode decode, int index) {
		Map<Decode, double[]> byDecode = alloc.get(arm);
		double[] value = (byDecode != null) ? byDecode.get(decode) : null;
		return (value != null) ? value[index] : Double.NaN;
	}

}
