package io.pepperpy.network.benchmarks;

import java.io.IOException;

/**
 * One section of {@code results.md}, one part of the benchmark (see {@code benchmarks/README.md}): its heading, its
 * tables and its targets, or "Not measured." when the part left no measurements.
 */
interface ReportSection {

	/**
	 * Append this section, followed by a blank line.
	 * @param md the report
	 * @throws IOException if a raw file cannot be read or a chart's data file cannot be written
	 */
	void write(Markdown md) throws IOException;

}
