package io.pepperpy.network.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The statistics {@link Report}'s sections take of the raw measurements: medians over rounds, medians of paired
 * ratios and differences (the two arms of a pair measured in the same round), sums, extremes, and which cells and
 * parameters a part measured. A <em>cell</em> is a row's {@code decode|param}, such as {@code JSON|2000}.
 */
final class Statistics {

	private final List<RawResults.Row> rows;

	Statistics(List<RawResults.Row> rows) {
		this.rows = rows;
	}

	/**
	 * The cells {@code part} measured, in the order they were first recorded.
	 */
	List<String> cells(String part) {
		Set<String> cells = new LinkedHashSet<>();
		this.rows.stream().filter((r) -> r.part().equals(part)).forEach((r) -> cells.add(r.decode() + "|" + r.param()));
		return new ArrayList<>(cells);
	}

	/**
	 * The parameters {@code part} measured, in the order they were first recorded.
	 */
	Set<String> params(String part) {
		Set<String> params = new LinkedHashSet<>();
		this.rows.stream().filter((r) -> r.part().equals(part)).forEach((r) -> params.add(r.param()));
		return params;
	}

	/**
	 * The rows that match {@code filter}, in the order they were recorded.
	 */
	List<RawResults.Row> select(Predicate<RawResults.Row> filter) {
		return this.rows.stream().filter(filter).toList();
	}

	long count(Predicate<RawResults.Row> filter) {
		return this.rows.stream().filter(filter).count();
	}

	/**
	 * The largest value of the rows that match {@code filter}, NaN when none does.
	 */
	double max(Predicate<RawResults.Row> filter) {
		return this.rows.stream().filter(filter).mapToDouble(RawResults.Row::value).max().orElse(Double.NaN);
	}

	/**
	 * The smallest value of the rows that match {@code filter}, NaN when none does.
	 */
	double min(Predicate<RawResults.Row> filter) {
		return this.rows.stream().filter(filter).mapToDouble(RawResults.Row::value).min().orElse(Double.NaN);
	}

	/**
	 * The last round recorded for {@code part}, 0 when it has none.
	 */
	int lastRound(String part) {
		return this.rows.stream().filter((r) -> r.part().equals(part)).mapToInt(RawResults.Row::round).max().orElse(0);
	}

	/**
	 * The median of the values (NaN left out) of the rows that match {@code filter}, NaN when there are none.
	 */
	double medianOf(Predicate<RawResults.Row> filter) {
		double[] values = this.rows.stream().filter(filter).mapToDouble(RawResults.Row::value).filter((v) -> !Double.isNaN(v)).sorted().toArray();
		return medianOfSorted(values);
	}

	/**
	 * The median of {@code metric} over the rows that match {@code of}.
	 */
	double value(Predicate<RawResults.Row> of, String metric) {
		return medianOf(of.and((r) -> r.metric().equals(metric)));
	}

	/**
	 * The median over rounds of {@code arm}'s {@code metric} in {@code cell}.
	 */
	double median(String part, Arm arm, String cell, String metric) {
		return medianOf((r) -> r.part().equals(part) && r.arm().equals(arm.name())
				&& (r.decode() + "|" + r.param()).equals(cell) && r.metric().equals(metric));
	}

	/**
	 * The sum over rounds of {@code arm}'s {@code metric} in {@code cell}.
	 */
	double sum(String part, Arm arm, String cell, String metric) {
		return this.rows.stream()
			.filter((r) -> r.part().equals(part) && r.arm().equals(arm.name())
					&& (r.decode() + "|" + r.param()).equals(cell) && r.metric().equals(metric))
			.mapToDouble(RawResults.Row::value)
			.sum();
	}

	/**
	 * The median over rounds of {@code arm}'s value divided by plain WebClient's in the same round: the arms of a
	 * round run one after the other, so a pair shares the machine's state of the moment.
	 */
	double pairedRatio(String part, Arm arm, String cell, String metric) {
		Map<Integer, Double> base = new HashMap<>();
		Predicate<RawResults.Row> of = (r) -> r.part().equals(part) && (r.decode() + "|" + r.param()).equals(cell)
				&& r.metric().equals(metric);
		this.rows.stream()
			.filter(of.and((r) -> r.arm().equals(Arm.WEBCLIENT.name())))
			.forEach((r) -> base.put(r.round(), r.value()));
		double[] ratios = this.rows.stream()
			.filter(of.and((r) -> r.arm().equals(arm.name()) && base.containsKey(r.round())))
			.mapToDouble((r) -> r.value() / base.get(r.round()))
			.filter((v) -> !Double.isNaN(v))
			.sorted()
			.toArray();
		return medianOfSorted(ratios);
	}

	/**
	 * The median over rounds of {@code arm}'s value minus {@code baseArm}'s in the same round, both with
	 * {@code param} and {@code metric}; NaN when no round has both.
	 */
	double pairedDifference(String part, String baseArm, String arm, String param, String metric) {
		Map<Integer, Double> base = new HashMap<>();
		this.rows.stream()
			.filter((r) -> r.part().equals(part) && r.arm().equals(baseArm) && r.param().equals(param)
					&& r.metric().equals(metric))
			.forEach((r) -> base.put(r.round(), r.value()));
		double[] differences = this.rows.stream()
			.filter((r) -> r.part().equals(part) && r.arm().equals(arm) && r.param().equals(param)
					&& r.metric().equals(metric) && base.containsKey(r.round()))
			.mapToDouble((r) -> r.value() - base.get(r.round()))
			.sorted()
			.toArray();
		return medianOfSorted(differences);
	}

	/**
	 * The median of {@code values}, NaN left out; NaN when none is left.
	 */
	static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter((v) -> !Double.isNaN(v)).sorted().toArray();
		return medianOfSorted(sorted);
	}

	/**
	 * The median of {@code values}, sorted in ascending order: the middle one, or the mean of the middle two; NaN
	 * when there are none.
	 */
	static double medianOfSorted(double[] values) {
		if (values.length == 0) {
			return Double.NaN;
		}
		int mid = values.length / 2;
		return (values.length % 2 == 1) ? values[mid] : (values[mid - 1] + values[mid]) / 2;
	}

}
