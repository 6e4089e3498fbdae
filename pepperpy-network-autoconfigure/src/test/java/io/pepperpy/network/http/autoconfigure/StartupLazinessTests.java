package io.pepperpy.network.http.autoconfigure;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.tcp.autoconfigure.PepperpyTcpClientAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The auto-configured client starts nothing before its first request: no Netty event loop or Reactor thread, no
 * TCP or UDP socket, and not even its pool gauges (its connector and pool are made by the first request). Checked in a JVM of its own ({@link #main(String[])}), because this one already has the
 * event loops and sockets of earlier tests; the first request then shows that the check sees both.
 */
class StartupLazinessTests {

	@Test
	void theAutoConfiguredClientOpensNoSocketAndStartsNoThreadBeforeItsFirstRequest() throws Exception {
		assumeTrue(Files.isReadable(Path.of("/proc/self/net/tcp")), "needs Linux /proc");
		// Left as is: this class is the other JVM's main class too, where a static server field would be built.
		WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		server.start();
		try {
			server.stubFor(get("/first").willReturn(okJson("{\"ok\":true}")));
			List<String> output = run(StartupLazinessTests.class, "http://127.0.0.1:" + server.port() + "/first");
			assertThat(output).as(String.join("\n", output))
				.contains("BEFORE threads=[] inet=0 pool-gauges=0", "RESPONSE {\"ok\":true}");
			String after = output.stream().filter((line) -> line.startsWith("AFTER ")).findFirst().orElseThrow();
			assertThat(after).as("the first request starts Reactor Netty's event loop, connects and registers meters")
				.contains("reactor-http-")
				.doesNotContain("inet=0")
				.endsWith("pool-gauges=3");
		}
		finally {
			server.stop();
		}
	}

	/**
	 * The other JVM: starts a context with the client's auto-configuration (and Boot's WebClient and Jackson), prints
	 * the threads and sockets, sends one request and prints them again.
	 * @param args the URL of the first request
	 */
	public static void main(String[] args) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
					PepperpyTcpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
					JacksonAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SimpleMeterRegistry meters = context.getBean(SimpleMeterRegistry.class);
				System.out.println("BEFORE threads=" + threads() + " inet=" + inetSockets() + " pool-gauges="
						+ poolGauges(meters));
				String body = context.getBean(HttpClient.class)
					.get(args[0])
					.retrieve(String.class)
					.block(Duration.ofSeconds(10));
				System.out.println("RESPONSE " + body);
				System.out.println("AFTER threads=" + threads() + " inet=" + inetSockets() + " pool-gauges="
						+ poolGauges(meters));
			});
	}

	private static int poolGauges(SimpleMeterRegistry meters) {
		return meters.find("pepperpy.http.client.connections").gauges().size();
	}

	/**
	 * Threads of Netty event loops and Reactor schedulers (Reactor Netty's are {@code reactor-http-*}).
	 */
	private static List<String> threads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> name.startsWith("reactor-") || name.contains("EventLoop") || name.contains("epoll")
					|| name.startsWith("parallel-") || name.startsWith("boundedElastic-"))
			.sorted()
			.toList();
	}

	/**
	 * Count this process's TCP and UDP sockets (IPv4 and IPv6): its socket inodes found in {@code /proc/net}.
	 */
	private static long inetSockets() throws IOException {
		Set<String> inet = new HashSet<>();
		for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
			for (String line : Files.readAllLines(Path.of("/proc/self/net", table))) {
				String[] fields = line.trim().split("\\s+");
				if (fields.length > 9) {
					inet.add(fields[9]);
				}
			}
		}
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.map((fd) -> {
				try {
					String link = Files.readSymbolicLink(fd).toString();
					return link.startsWith("socket:[") ? link.substring(8, link.length() - 1) : "";
				}
				catch (IOException ex) {
					return "";
				}
			}).filter(inet::contains).count();
		}
	}

	private static List<String> run(Class<?> main, String... args) throws Exception {
		String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
		List<String> command = new ArrayList<>(
				List.of(java, "-cp", System.getProperty("java.class.path"), main.getName()));
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
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
		return lines;
	}

}
