package io.pepperpy.network.benchmarks;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A quick interleaved comparison of some arms in closed loop, for profiling a gap without the whole run:
 * {@code Compare ARMS DECODE CONCURRENCY SECONDS ROUNDS}, e.g. {@code Compare WEBCLIENT,OURS JSON 16 3 5}
 * (nginx must serve {@code bench.url}). Prints requests per second and client CPU µs per request per round.
 */
public final class Compare {

	private Compare() {
	}

	public static void main(String[] args) throws Exception {
		List<Arm> arms = new ArrayList<>();
		for (String name : args[0].split(",")) {
			arms.add(Arm.valueOf(name));
		}
		Decode decode = Decode.valueOf(args[1]);
		int concurrency = Integer.parseInt(args[2]);
		long nanos = Long.parseLong(args[3]) * 1_000_000_000L;
		int rounds = Integer.parseInt(args[4]);
		Map<Arm, BenchClient> clients = new EnumMap<>(Arm.class);
		for (Arm arm : arms) {
			clients.put(arm, arm.create(Settings.URL));
		}
		// Warm up at 16 in flight whatever the concurrency measured: at 1 in flight, a few seconds are not enough
		// requests for the JIT to finish.
		for (Arm arm : arms) {
			LoadDriver.closedLoop(clients.get(arm), decode, Math.max(16, concurrency), 3_000_000_000L);
		}
		for (int round = 1; round <= rounds; round++) {
			StringBuilder line = new StringBuilder("round " + round + ":");
			for (Arm arm : arms) {
				System.gc();
				LoadDriver.Result result = LoadDriver.closedLoop(clients.get(arm), decode, concurrency, nanos);
				line.append(String.format(" %s %.0f req/s %.1f µs CPU (%d failed)", arm, result.okPerSecond(result.nanos()),
						result.cpuNanos() / 1e3 / Math.max(1, result.ok()), result.failed()));
			}
			System.out.println(line);
		}
		clients.values().forEach(BenchClient::close);
		System.exit(0);
	}

}
