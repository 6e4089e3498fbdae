package io.pepperpy.network.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The process's CPU time in nanoseconds. {@code OperatingSystemMXBean.getProcessCpuTime()} counts in clock ticks
 * (10 ms on Linux), which is too coarse for a 1 s run at 30 µs per request, so on Linux the on-CPU nanoseconds of
 * every thread ({@code /proc/self/task/*}{@code /schedstat}, GC and JIT threads included) are summed instead. A
 * thread that ends during a run loses its time; the harness's threads live for the whole run.
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

	static long processCpuNanos() {
		if (!SCHEDSTAT) {
			return OS.getProcessCpuTime();
		}
		long total = 0;
		try (Stream<Path> tasks = Files.list(TASKS)) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					String stat = Files.readString(task.resolve("schedstat"));
					int space = stat.indexOf(' ');
					total += Long.parseLong((space > 0) ? stat.substring(0, space) : stat.strip());
				}
				catch (IOException | NumberFormatException ex) {
					// the thread ended while listing
				}
			}
		}
		catch (IOException ex) {
			return OS.getProcessCpuTime();
		}
		return total;
	}

}
