package io.pepperpy.network.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Part (f): launches {@code MinimalApp} alternately without and with the starter (A B A B ...), records each
 * launch's time from JVM start to a ready context and its wall time, and checks that no event loop exists before
 * the first request. Arguments: the class path without the starter, the class path with it.
 */
public final class StartupBenchmark {

	private static final Pattern READY = Pattern.compile("STARTUP ready_ms=(\\d+) client=(\\w+) event_loops=\\[(.*)] sockets=(-?\\d+)");

	private static final Pattern AFTER = Pattern.compile("AFTER_FIRST_REQUEST event_loops=\\[(.*)] sockets=(-?\\d+)");

	private StartupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		RawResults raw = new RawResults(Settings.RAW);
		String[] classpaths = { args[0], args[1] };
		String[] arms = { "WITHOUT_STARTER", "WITH_STARTER" };
		int runs = Settings.count(20, 3);
		for (int warm = 0; warm < 2; warm++) {
			launch(classpaths[warm % 2]);
		}
		for (int round = 1; round <= runs; round++) {
			for (int i = 0; i < 2; i++) {
				long start = System.nanoTime();
				List<String> output = launch(classpaths[i]);
				double wall = (System.nanoTime() - start) / 1e6;
				Matcher ready = find(READY, output);
				raw.add("startup", arms[i], "-", "-", round, "wall_ms", wall);
				raw.add("startup", arms[i], "-", "-", round, "ready_ms", Double.parseDouble(ready.group(1)));
				raw.add("startup", arms[i], "-", "-", round, "event_loops",
						ready.group(3).isBlank() ? 0 : ready.group(3).split(",").length);
				raw.add("startup", arms[i], "-", "-", round, "client_bean",
						Boolean.parseBoolean(ready.group(2)) ? 1 : 0);
				LoadBenchmarks.log("start-up round %d %s: ready %s ms, wall %.0f ms, client bean %s, event loops [%s], sockets %s",
						round, arms[i], ready.group(1), wall, ready.group(2), ready.group(3), ready.group(4));
			}
		}
		List<String> output = launch(classpaths[1], "--first-request=" + Settings.URL + "/json");
		Matcher before = find(READY, output);
		Matcher after = find(AFTER, output);
		raw.add("startup", "WITH_STARTER", "-", "check", 1, "loops_before_first_request",
				before.group(3).isBlank() ? 0 : before.group(3).split(",").length);
		raw.add("startup", "WITH_STARTER", "-", "check", 1, "loops_after_first_request",
				after.group(1).isBlank() ? 0 : after.group(1).split(",").length);
		raw.add("startup", "WITH_STARTER", "-", "check", 1, "sockets_before_first_request",
				Double.parseDouble(before.group(4)));
		raw.add("startup", "WITH_STARTER", "-", "check", 1, "sockets_after_first_request",
				Double.parseDouble(after.group(2)));
		LoadBenchmarks.log("before the first request: event loops [%s], sockets %s; after it: event loops [%s], sockets %s",
				before.group(3), before.group(4), after.group(1), after.group(2));
		LoadBenchmarks.log("done");
	}

	private static Matcher find(Pattern pattern, List<String> output) {
		for (String line : output) {
			Matcher matcher = pattern.matcher(line);
			if (matcher.find()) {
				return matcher;
			}
		}
		throw new IllegalStateException("no line matching " + pattern + " in:\n" + String.join("\n", output));
	}

	private static List<String> launch(String classpath, String... args) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-cp", classpath,
				"io.pepperpy.network.benchmarks.startup.MinimalApp"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<String> lines = new ArrayList<>();
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				lines.add(line);
			}
		}
		int exit = process.waitFor();
		if (exit != 0) {
			throw new IllegalStateException("MinimalApp exited " + exit + ":\n" + String.join("\n", lines));
		}
		return lines;
	}

}
