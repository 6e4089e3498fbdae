package io.pepperpy.network.benchmarks.startup;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Part (f)'s app: a minimal non-web Spring Boot application, started with three class paths (bare
 * {@code spring-boot-starter}; the starter's third-party libraries without our jars; the starter). It prints one
 * line: the time from JVM start to a ready context, whether our client bean exists, the Netty and Reactor threads,
 * and the sockets open, by kind, before any request. With {@code --first-request=URL} it then sends one request
 * through our client and prints the threads and sockets again, which shows that the detection works.
 * <p>
 * Sockets are told apart by their inode in {@code /proc/net/*}: {@code inet} is TCP or UDP over IPv4 or IPv6 (a
 * connection, a listener or a DNS socket), {@code unix} a Unix domain socket. The JDK keeps one Unix socket of a
 * socket pair open from the first NIO file channel on ({@code sun.nio.ch.FileDispatcherImpl}'s pre-close
 * descriptor); here the first is Boot's Jackson auto-configuration reading this class from
 * {@code target/classes} while it scans the app's package for {@code @JsonMixin} classes, with or without the
 * starter. That is why the check compares with the baseline app instead of expecting zero.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MinimalApp {

	public static void main(String[] args) throws Exception {
		long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
		// -Dbench.startupSteps (diagnosis, not run.sh): record Spring's start-up steps and print those that name our
		// classes or beans, and every step of 3 ms or more
		boolean steps = System.getProperty("bench.startupSteps") != null;
		org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup startup = steps
				? new org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup(100_000) : null;
		SpringApplicationBuilder builder = new SpringApplicationBuilder(MinimalApp.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false);
		if (startup != null) {
			builder.applicationStartup(startup);
		}
		ConfigurableApplicationContext context = builder.run(args);
		if (startup != null) {
			printSteps(startup, false);
		}
		long ready = System.currentTimeMillis() - jvmStart;
		boolean client = context.containsBean("pepperpyHttpClient");
		System.out.println("STARTUP ready_ms=" + ready + " client=" + client + " event_loops=" + eventLoops() + " "
				+ sockets());
		String firstRequest = Stream.of(args)
			.filter((arg) -> arg.startsWith("--first-request="))
			.map((arg) -> arg.substring("--first-request=".length()))
			.findFirst()
			.orElse(null);
		if (firstRequest != null && client) {
			Object httpClient = context.getBean("pepperpyHttpClient");
			((io.pepperpy.network.http.HttpClient) httpClient).get(firstRequest).retrieve(String.class).block();
			System.out.println("AFTER_FIRST_REQUEST event_loops=" + eventLoops() + " " + sockets());
		}
		context.close();
	}

	/**
	 * Print the recorded start-up steps as {@code STEP <µs> us id=.. parent=.. <name> <tags>}: all of them, or only
	 * those that name our classes or beans and those of 3 ms or more.
	 */
	static void printSteps(org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup startup,
			boolean all) {
		for (var entry : startup.getBufferedTimeline().getEvents()) {
			StringBuilder tags = new StringBuilder();
			entry.getStartupStep().getTags().forEach((tag) -> tags.append(tag.getKey()).append('=')
				.append(tag.getValue()).append(' '));
			if (all || tags.toString().toLowerCase(java.util.Locale.ROOT).contains("pepperpy")
					|| entry.getDuration().toMillis() >= 3) {
				System.out.println("STEP " + entry.getDuration().toNanos() / 1_000 + " us id="
						+ entry.getStartupStep().getId() + " parent=" + entry.getStartupStep().getParentId() + " "
						+ entry.getStartupStep().getName() + " " + tags);
			}
		}
	}

	/**
	 * Threads of Netty event loops and Reactor schedulers: none should exist before the first request.
	 */
	private static List<String> eventLoops() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> name.startsWith("reactor-") || name.contains("EventLoop")
					|| name.contains("nioEventLoop") || name.contains("epoll") || name.startsWith("parallel-")
					|| name.startsWith("boundedElastic-") || name.startsWith("lettuce-"))
			.sorted()
			.toList();
	}

	/**
	 * The sockets this process has open, as {@code sockets=N inet=I unix=U other=O}.
	 */
	private static String sockets() {
		List<String> inodes = new ArrayList<>();
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			fds.forEach((fd) -> {
				try {
					String link = Files.readSymbolicLink(fd).toString();
					if (link.startsWith("socket:[")) {
						inodes.add(link.substring("socket:[".length(), link.length() - 1));
					}
				}
				catch (IOException ex) {
					// closed while listing
				}
			});
		}
		catch (IOException ex) {
			return "sockets=-1 inet=-1 unix=-1 other=-1";
		}
		Map<String, String> kinds = new HashMap<>();
		for (String table : List.of("tcp", "tcp6", "udp", "udp6", "unix")) {
			String kind = table.equals("unix") ? "unix" : "inet";
			try {
				for (String line : Files.readAllLines(Path.of("/proc/self/net", table))) {
					String[] fields = line.trim().split("\\s+");
					// The inode is the 10th column of tcp/udp tables and the 7th of unix.
					int column = table.equals("unix") ? 6 : 9;
					if (fields.length > column) {
						kinds.put(fields[column], kind);
					}
				}
			}
			catch (IOException ex) {
				// table not available
			}
		}
		int inet = 0;
		int unix = 0;
		int other = 0;
		for (String inode : inodes) {
			switch (kinds.getOrDefault(inode, "other")) {
				case "inet" -> inet++;
				case "unix" -> unix++;
				default -> other++;
			}
		}
		return "sockets=" + inodes.size() + " inet=" + inet + " unix=" + unix + " other=" + other;
	}

}
