package io.pepperpy.network.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Raw measurements, one per line: {@code part, arm, decode, parameter, round, metric, value}, tab-separated. The
 * parts append; {@link Report} reads them all back, and {@link Statistics} takes their medians.
 */
final class RawResults {

	record Row(String part, String arm, String decode, String param, int round, String metric, double value) {
	}

	private final Path file;

	RawResults(Path file) {
		this.file = file;
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	synchronized void add(String part, String arm, String decode, String param, int round, String metric,
			double value) {
		String line = String.join("\t", part, arm, decode, param, Integer.toString(round), metric,
				String.format(Locale.ROOT, "%.6f", value)) + "\n";
		try {
			Files.writeString(this.file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static List<Row> read(Path file) throws IOException {
		List<Row> rows = new ArrayList<>();
		if (!Files.exists(file)) {
			return rows;
		}
		for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			String[] f = line.split("\t");
			if (f.length == 7) {
				rows.add(new Row(f[0], f[1], f[2], f[3], Integer.parseInt(f[4]), f[5], Double.parseDouble(f[6])));
			}
		}
		return rows;
	}

}
