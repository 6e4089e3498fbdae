package io.pepperpy.network.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * The text of {@code results.md} as {@link Report}'s sections write it, line by line, with the table rows and the
 * number formats they share. Numbers are formatted in {@link Locale#ROOT}, so the report reads the same on every
 * machine.
 */
final class Markdown {

	private final StringBuilder text = new StringBuilder();

	/**
	 * Append one line.
	 * @param line the line, without its line break
	 */
	void line(String line) {
		this.text.append(line).append('\n');
	}

	/**
	 * Say that a section (or part of one) has no measurements, followed by a blank line.
	 */
	void notMeasured() {
		line("Not measured.");
		line("");
	}

	/**
	 * Append a table's header: {@code first}, then {@code columns} right-aligned.
	 * @param first the heading of the first, left-aligned, column
	 * @param columns the headings of the numeric columns
	 */
	void tableHeader(String first, List<String> columns) {
		tableRow(first, columns);
		line("|---" + "|---:".repeat(columns.size()) + "|");
	}

	/**
	 * Append a table row: {@code first}, then {@code cells}.
	 * @param first the first cell
	 * @param cells the other cells
	 */
	void tableRow(String first, List<String> cells) {
		line("| " + first + " | " + String.join(" | ", cells) + " |");
	}

	@Override
	public String toString() {
		return this.text.toString();
	}

	/**
	 * Format numbers as the report shows them, whatever the machine's locale.
	 * @param format a {@link String#format} pattern
	 * @param args its arguments
	 * @return the formatted text
	 */
	static String fmt(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}

	/**
	 * Show {@code value} as a multiple of {@code base}, such as {@code 1.05 ×}, or {@code –} when either is missing
	 * or the base is zero.
	 * @param value the figure
	 * @param base the figure it is compared with, usually plain WebClient's
	 * @return the ratio as shown in a table
	 */
	static String ratio(double value, double base) {
		return (Double.isNaN(value) || Double.isNaN(base) || base == 0) ? "–" : fmt("%.2f ×", value / base);
	}

	/**
	 * Show whether a target was met; a missed one stands out in bold.
	 * @param met whether the target was met
	 * @return the last cell of a target's row
	 */
	static String met(boolean met) {
		return met ? "met" : "**missed**";
	}

}
