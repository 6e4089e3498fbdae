package io.pepperpy.network.benchmarks.startup;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Part (f)'s app: a minimal Spring Boot application, started once with the starter on its class path and once
 * without. It prints one line: the time from JVM start to a ready context, whether our client bean exists, and the
 * Netty event-loop threads and sockets that exist before any request. With {@code --first-request=URL} it then
 * sends one request and prints the threads again, which shows that the detection works.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MinimalApp {

	public static void main(String[] args) throws Exception {
		long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(MinimalApp.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.run(args);
		long ready = System.currentTimeMillis() - jvmStart;
		boolean client = context.containsBean("pepperpyHttpClient");
		System.out.println("STARTUP ready_ms=" + ready + " client=" + client + " event_loops=" + eventLoops()
				+ " sockets=" + sockets());
		String firstRequest = Stream.of(args)
			.filter((arg) -> arg.startsWith("--first-request="))
			.map((arg) -> arg.substring("--first-request=".length()))
			.findFirst()
			.orElse(null);
		if (firstRequest != null && client) {
			Object httpClient = context.getBean("pepperpyHttpClient");
			((io.pepperpy.network.http.HttpClient) httpClient).get(firstRequest).retrieve(String.class).block();
			System.out.println("AFTER_FIRST_REQUEST event_loops=" + eventLoops() + " sockets=" + sockets());
		}
		context.close();
	}

	private static List<String> eventLoops() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> name.startsWith("reactor-http") || name.contains("EventLoop")
					|| name.contains("nioEventLoop") || name.contains("epoll"))
			.sorted()
			.toList();
	}

	private static long sockets() {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.filter((fd) -> {
				try {
					return Files.readSymbolicLink(fd).toString().startsWith("socket:");
				}
				catch (IOException ex) {
					return false;
				}
			}).count();
		}
		catch (IOException ex) {
			return -1;
		}
	}

}
