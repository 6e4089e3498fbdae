package io.pepperpy.network.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * CPU per request of one arm against another in the same JVM, in paired rounds: each round runs both arms back to
 * back (the order alternating), open loop at 2,000 req/s and closed loop at 16 in flight, JSON, and records
 * second / first. Prints one line per round and the median with the spread: this machine moves ±20 % between
 * runs, so only ratios within a round mean something.
 * <p>
 * Arguments: the first arm (the baseline), the second arm, rounds (default 15), seconds per run (default 1). For
 * example {@code WEBCLIENT OURS 9 1}: what our pipeline costs over plain WebClient; {@code OURS OURS_BREAKER 15 1}:
 * what a closed circuit breaker costs. Compiled by {@code pipeline-ab.sh} and {@code paired-arms.sh} against the
 * build they measure, so that a baseline build needs no change.
 */
public final class PairedArms {

	private PairedArms() {
	}

	public static void main(String[] args) throws Exception {
		Arm baseline = Arm.valueOf(args[0]);
		Arm measured = Arm.valueOf(args[1]);
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 15;
		long nanos = (long) (((args.length > 3) ? Double.parseDouble(args[3]) : 1.0) * 1_000_000_000L);
		String url = System.getProperty("bench.url", "http://127.0.0.1:18080");
		BenchClient first = baseline.create(url);
		BenchClient second = measured.create(url);
		for (int pass = 0; pass < 4; pass++) {
			for (BenchClient client : List.of(first, second)) {
				LoadDriver.closedLoop(client, Decode.JSON, 16, 500_000_000L);
				LoadDriver.openLoop(client, Decode.JSON, 2_000, 500_000_000L);
			}
		}
		List<Double> open = new ArrayList<>();
		List<Double> closed = new ArrayList<>();
		for (int round = 1; round <= rounds; round++) {
			boolean secondFirst = (round % 2) == 0;
			double[] openCpu = new double[2];
			double[] closedCpu = new double[2];
			for (int i = 0; i < 2; i++) {
				int arm = ((i == 0) == secondFirst) ? 1 : 0;
				BenchClient client = (arm == 1) ? second : first;
				System.gc();
				openCpu[arm] = LoadDriver.openLoop(client, Decode.JSON, 2_000, nanos).cpuMicrosPerRequest();
				System.gc();
				closedCpu[arm] = LoadDriver.closedLoop(client, Decode.JSON, 16, nanos).cpuMicrosPerRequest();
			}
			open.add(openCpu[1] / openCpu[0]);
			closed.add(closedCpu[1] / closedCpu[0]);
			System.out.printf(Locale.ROOT,
					"round %d: 2,000 req/s %s %.1f us, %s %.1f us (%.3fx); 16 in flight %s %.1f us, %s %.1f us "
							+ "(%.3fx)%n",
					round, baseline, openCpu[0], measured, openCpu[1], open.get(open.size() - 1), baseline,
					closedCpu[0], measured, closedCpu[1], closed.get(closed.size() - 1));
		}
		System.out.println(measured + " / " + baseline + " at 2,000 req/s: " + summary(open));
		System.out.println(measured + " / " + baseline + " at 16 in flight: " + summary(closed));
		first.close();
		second.close();
		System.exit(0);
	}

	private static String summary(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		double median = (sorted.length % 2 == 1) ? sorted[sorted.length / 2]
				: (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
		return String.format(Locale.ROOT, "median %.3fx, spread %.3f-%.3fx over %d rounds %s", median, sorted[0],
				sorted[sorted.length - 1], sorted.length, Arrays.toString(Arrays.stream(sorted)
					.mapToObj((v) -> String.format(Locale.ROOT, "%.3f", v))
					.toArray()));
	}

}
