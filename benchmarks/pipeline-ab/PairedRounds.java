package io.pepperpy.network.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * CPU per request of ours (meters on) against plain WebClient in the same JVM, in paired rounds: each round runs
 * both arms back to back (the order alternating), open loop at 2,000 req/s and closed loop at 16 in flight, JSON,
 * and records ours / WebClient. Compiled by {@code pipeline-ab.sh} against each build it compares, so the baseline
 * build needs no change. Prints one line per round and the median with the spread.
 * <p>
 * Arguments: rounds (default 9), seconds per run (default 1).
 */
public final class PairedRounds {

	private PairedRounds() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 9;
		long nanos = (long) (((args.length > 1) ? Double.parseDouble(args[1]) : 1.0) * 1_000_000_000L);
		String url = System.getProperty("bench.url", "http://127.0.0.1:18080");
		BenchClient webClient = Arm.WEBCLIENT.create(url);
		BenchClient ours = Arm.OURS.create(url);
		for (int pass = 0; pass < 4; pass++) {
			for (BenchClient client : List.of(webClient, ours)) {
				LoadDriver.closedLoop(client, Decode.JSON, 16, 500_000_000L);
				LoadDriver.openLoop(client, Decode.JSON, 2_000, 500_000_000L);
			}
		}
		List<Double> open = new ArrayList<>();
		List<Double> closed = new ArrayList<>();
		for (int round = 1; round <= rounds; round++) {
			boolean oursFirst = (round % 2) == 0;
			double[] openCpu = new double[2];
			double[] closedCpu = new double[2];
			for (int i = 0; i < 2; i++) {
				boolean isOurs = (i == 0) == oursFirst;
				BenchClient client = isOurs ? ours : webClient;
				System.gc();
				openCpu[isOurs ? 1 : 0] = LoadDriver.openLoop(client, Decode.JSON, 2_000, nanos).cpuMicrosPerRequest();
				System.gc();
				closedCpu[isOurs ? 1 : 0] = LoadDriver.closedLoop(client, Decode.JSON, 16, nanos)
					.cpuMicrosPerRequest();
			}
			open.add(openCpu[1] / openCpu[0]);
			closed.add(closedCpu[1] / closedCpu[0]);
			System.out.printf(Locale.ROOT,
					"round %d: 2,000 req/s WebClient %.1f us, ours %.1f us (%.3fx); 16 in flight WebClient %.1f us, "
							+ "ours %.1f us (%.3fx)%n",
					round, openCpu[0], openCpu[1], open.get(open.size() - 1), closedCpu[0], closedCpu[1],
					closed.get(closed.size() - 1));
		}
		System.out.println("ratio at 2,000 req/s: " + summary(open));
		System.out.println("ratio at 16 in flight: " + summary(closed));
		webClient.close();
		ours.close();
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
