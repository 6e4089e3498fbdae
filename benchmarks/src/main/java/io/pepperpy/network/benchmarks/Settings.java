package io.pepperpy.network.benchmarks;

import java.nio.file.Path;

/**
 * Settings passed by {@code run.sh} as system properties.
 */
final class Settings {

	/**
	 * Server base URL ({@code bench.url}).
	 */
	static final String URL = System.getProperty("bench.url", "http://127.0.0.1:18080");

	/**
	 * Whether this is a seconds-long smoke run ({@code bench.quick}).
	 */
	static final boolean QUICK = Boolean.getBoolean("bench.quick");

	/**
	 * File the raw measurements are appended to ({@code bench.raw}).
	 */
	static final Path RAW = Path.of(System.getProperty("bench.raw", "benchmarks/results/raw/measurements.tsv"));

	private Settings() {
	}

	static long millis(long full, long quick) {
		return (QUICK ? quick : full) * 1_000_000L;
	}

	static int count(int full, int quick) {
		return QUICK ? quick : full;
	}

}
