package io.pepperpy.network.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The process's CPU time in nanoseconds. {@code OperatingSystemMXBean.getProcessCpuTime()} counts in clock ticks
 * (10 ms on Linux), which is too coarse for a 1 s run at 30 µs per request, so on Linux the on-CPU nanoseconds of
 * every thread ({@code /proc/self/task/*}{@code /schedstat}, GC and JIT threads included) are summed instead. A
 * thread that has ended keeps counting with the time it had when last seen: otherwise its time dropped out of the
 * sum, and a run during which idle threads of another client ended (OkHttp's and the JDK client's pools end theirs
 * after 60 s) measured less CPU than it used, even less than none (run 7 recorded -625 µs per request).
 */
final class CpuClock {

	private static final Path TASKS = Path.of("/proc/self/task");

	private static final boolean SCHEDSTAT = Files.isReadable(Path.of("/proc/thread-self/schedstat"));

	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private CpuClock() {
	}

	/**
	 * Return the name of the source used.
	 * @return a short description
	 */
	static String source() {
		return SCHEDSTAT ? "sum of /proc/self/task/*/schedstat" : "OperatingSystemMXBean.getProcessCpuTime()";
	}

	/**
	 * Each thread's on-CPU time when last read, by thread id.
	 */
	private static Map<String, Long> seen = new HashMap<>();

	/**
	 * The time of the threads that have ended, as last read.
	 */
	private static long ended;

	static synchronized long processCpuNanos() {
		if (!SCHEDSTAT) {
			return OS.getProcessCpuTime();
		}
		Map<String, Long> now = new HashMap<>();
		try (Stream<Path> tasks = Files.list(TASKS)) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					String stat = Files.readString(task.resolve("schedstat"));
					int space = stat.indexOf(' ');
					now.put(task.getFileName().toString(),
							Long.parseLong((space > 0) ? stat.substring(0, space) : stat.strip()));
				}
				catch (IOException | NumberFormatException ex) {
					// the thread ended while listing: it is counted as ended below
				}
			}
		}
		catch (IOException ex) {
			return OS.getProcessCpuTime();
		}
		for (Map.Entry<String, Long> before : seen.entrySet()) {
			if (!now.containsKey(before.getKey())) {
				ended += before.getValue();
			}
		}
		seen = now;
		long total = ended;
		for (long value : now.values()) {
			total += value;
		}
		return total;
	}

}
