package io.pepperpy.network.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Part (f): launches {@code MinimalApp} with the fair baseline's class path and with the starter's, in pairs: with
 * {@code -Dbench.startupCpus=A,B} both at once, each pinned to one of the two CPUs (swapped every round), otherwise
 * one after the other; and, for information, with bare {@code spring-boot-starter} in every seventh round; records each
 * launch's time from JVM start to a ready context, its wall time, and the threads and sockets before any request.
 * Then, in as many pairs, {@code SecondContextApp}: our cold cost with Spring's own start-up cost taken out, and (its
 * first contexts being the same launch in both arms) an A/A control that shows how far two launches of the same app
 * differ on this machine. Last, checks with one request through our client that no event loop and no connection
 * exist before it.
 * <p>
 * Arguments: the class path of {@code startup-baseline/pom.xml} (the starter's third-party libraries), the starter's
 * class path, and optionally the bare {@code spring-boot-starter} class path. The first two must differ by our jars
 * only (checked here). The baseline app is launched with the starter's class path minus our jars, in the same
 * order: the JDK's class loader searches the jars in class path order and opens each on its first search, so the
 * same jars in another order cost another start-up time (about 10 ms of CPU here), which is not ours.
 */
public final class StartupBenchmark {

	private static final Pattern READY = Pattern.compile(
			"STARTUP ready_ms=(\\d+) client=(\\w+) event_loops=\\[(.*)] sockets=(-?\\d+) inet=(-?\\d+) unix=(-?\\d+) other=(-?\\d+)");

	private static final Pattern AFTER = Pattern
		.compile("AFTER_FIRST_REQUEST event_loops=\\[(.*)] sockets=(-?\\d+) inet=(-?\\d+) unix=(-?\\d+) other=(-?\\d+)");

	private static final Pattern SECOND = Pattern.compile("SECOND_CONTEXT arm=\\w+ first_ms=([\\d.]+) second_ms=([\\d.]+)");

	private StartupBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		RawResults raw = new RawResults(Settings.RAW);
		String starter = args[1];
		String bare = (args.length > 2) ? args[2] : null;
		checkOnlyOurJarsDiffer(args[0], starter);
		String baseline = withoutOurJars(starter);
		int runs = Settings.count(20, 3);
		String[] cpus = System.getProperty("bench.startupCpus", "").split(",");
		ExecutorService pair = Executors.newFixedThreadPool(2);
		for (int warm = 0; warm < 2; warm++) {
			launch(cpus[0], (warm % 2 == 0) ? baseline : starter);
		}
		for (int round = 1; round <= runs; round++) {
			int r = round;
			inPair(pair, cpus, round, (cpu) -> measure(raw, r, "WITHOUT_STARTER", cpu, baseline),
					(cpu) -> measure(raw, r, "WITH_STARTER", cpu, starter));
			if (bare != null && round % 7 == 1) {
				measure(raw, round, "BARE_BOOT", cpus[0], bare);
			}
		}
		// Our cold cost with Spring's own taken out: SecondContextApp's two contexts in one JVM, in pairs as above.
		// Their first contexts are the same launch (ours excluded in both), an A/A control of the pairs above.
		for (int round = 1; round <= Settings.count(10, 2); round++) {
			int r = round;
			inPair(pair, cpus, round, (cpu) -> measureSecond(raw, r, "WITHOUT_STARTER", cpu, starter),
					(cpu) -> measureSecond(raw, r, "WITH_STARTER", cpu, starter));
		}
		pair.shutdown();
		List<String> output = launch(cpus[0], starter, "--first-request=" + Settings.URL + "/json");
		Matcher before = find(READY, output);
		Matcher after = find(AFTER, output);
		raw.add("startup", "WITH_STARTER", "-", "check", 1, "loops_before_first_request", count(before.group(3)));
		raw.add("startup", "WITH_STARTER", "-", "check", 1, "loops_after_first_request", count(after.group(1)));
		raw.add("startup", "WITH_STARTER", "-", "check", 1, "sockets_before_first_request",
				Double.parseDouble(before.group(4)));
		raw.add("startup", "WITH_STARTER", "-", "check", 1, "inet_sockets_before_first_request",
				Double.parseDouble(before.group(5)));
		raw.add("startup", "WITH_STARTER", "-", "check", 1, "sockets_after_first_request",
				Double.parseDouble(after.group(2)));
		raw.add("startup", "WITH_STARTER", "-", "check", 1, "inet_sockets_after_first_request",
				Double.parseDouble(after.group(3)));
		LoadBenchmarks.log("before the first request: threads [%s], sockets %s (inet %s, unix %s); after it: threads [%s], "
				+ "sockets %s (inet %s, unix %s)", before.group(3), before.group(4), before.group(5), before.group(6),
				after.group(1), after.group(2), after.group(3), after.group(4));
		LoadBenchmarks.log("done");
	}

	/**
	 * Run a round's two launches: with two CPUs, both at once, each on a CPU of its own, the CPUs swapped every
	 * round (each launch still has one core, as it would alone, and both meet the same machine); otherwise one after
	 * the other.
	 */
	private static void inPair(ExecutorService pair, String[] cpus, int round, Launch without, Launch with)
			throws Exception {
		if (cpus.length == 2) {
			String withoutCpu = cpus[round % 2];
			String withCpu = cpus[(round + 1) % 2];
			Future<?> first = pair.submit(() -> without.run(withoutCpu));
			Future<?> second = pair.submit(() -> with.run(withCpu));
			first.get();
			second.get();
		}
		else {
			without.run(cpus[0]);
			with.run(cpus[0]);
		}
	}

	@FunctionalInterface
	private interface Launch {

		Void run(String cpu) throws Exception;

	}

	private static Void measure(RawResults raw, int round, String arm, String cpu, String classpath)
			throws Exception {
		long start = System.nanoTime();
		List<String> output = launch(cpu, classpath);
		double wall = (System.nanoTime() - start) / 1e6;
		Matcher ready = find(READY, output);
		raw.add("startup", arm, "-", "-", round, "wall_ms", wall);
		raw.add("startup", arm, "-", "-", round, "ready_ms", Double.parseDouble(ready.group(1)));
		raw.add("startup", arm, "-", "-", round, "client_bean", Boolean.parseBoolean(ready.group(2)) ? 1 : 0);
		raw.add("startup", arm, "-", "-", round, "event_loops", count(ready.group(3)));
		raw.add("startup", arm, "-", "-", round, "sockets", Double.parseDouble(ready.group(4)));
		raw.add("startup", arm, "-", "-", round, "inet_sockets", Double.parseDouble(ready.group(5)));
		LoadBenchmarks.log("start-up round %d %s: ready %s ms, wall %.0f ms, client bean %s, threads [%s], sockets %s "
				+ "(inet %s, unix %s)", round, arm, ready.group(1), wall, ready.group(2), ready.group(3),
				ready.group(4), ready.group(5), ready.group(6));
		return null;
	}

	private static Void measureSecond(RawResults raw, int round, String arm, String cpu, String classpath)
			throws Exception {
		List<String> output = launchMain(cpu, classpath, "io.pepperpy.network.benchmarks.startup.SecondContextApp",
				arm.equals("WITH_STARTER") ? "with" : "without");
		Matcher times = find(SECOND, output);
		raw.add("startup", arm, "-", "second", round, "first_ms", Double.parseDouble(times.group(1)));
		raw.add("startup", arm, "-", "second", round, "second_ms", Double.parseDouble(times.group(2)));
		LoadBenchmarks.log("start-up second-context round %d %s: first context %s ms, second %s ms", round, arm,
				times.group(1), times.group(2));
		return null;
	}

	/**
	 * Fail unless the starter's class path is the baseline's plus {@code pepperpy-network-*} jars: otherwise the
	 * difference would include libraries, not only our auto-configuration.
	 */
	static void checkOnlyOurJarsDiffer(String baseline, String starter) {
		Set<String> without = entries(baseline);
		Set<String> with = entries(starter);
		Set<String> missing = new LinkedHashSet<>(without);
		missing.removeAll(with);
		Set<String> added = new LinkedHashSet<>(with);
		added.removeAll(without);
		added.removeIf((entry) -> entry.startsWith("pepperpy-network-"));
		if (!missing.isEmpty() || !added.isEmpty()) {
			throw new IllegalStateException("The start-up arms must differ by our jars only, but the starter's class "
					+ "path lacks " + missing + " and adds " + added + ": align benchmarks/startup-baseline/pom.xml "
					+ "with the starter's dependencies");
		}
		LoadBenchmarks.log("start-up class paths: %d entries without the starter, %d with (ours: %s)", without.size(),
				with.size(), entries(starter).stream().filter((entry) -> entry.startsWith("pepperpy-network-")).toList());
	}

	private static String withoutOurJars(String classpath) {
		List<String> kept = new ArrayList<>();
		for (String entry : classpath.split(File.pathSeparator)) {
			if (!new File(entry).getName().startsWith("pepperpy-network-")) {
				kept.add(entry);
			}
		}
		return String.join(File.pathSeparator, kept);
	}

	private static Set<String> entries(String classpath) {
		Set<String> names = new LinkedHashSet<>();
		for (String entry : classpath.split(File.pathSeparator)) {
			if (!entry.isBlank()) {
				names.add(entry.endsWith(".jar") ? new File(entry).getName() : entry);
			}
		}
		return names;
	}

	private static double count(String list) {
		return list.isBlank() ? 0 : list.split(",").length;
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

	/**
	 * Run {@code MinimalApp} on the given CPU ({@code taskset}; blank: wherever this JVM runs) and return its output.
	 */
	private static List<String> launch(String cpu, String classpath, String... args) throws Exception {
		return launchMain(cpu, classpath, "io.pepperpy.network.benchmarks.startup.MinimalApp", args);
	}

	private static List<String> launchMain(String cpu, String classpath, String main, String... args)
			throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>();
		if (!cpu.isBlank()) {
			command.addAll(List.of("taskset", "-c", cpu));
		}
		command.addAll(List.of(java, "-cp", classpath, main));
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
