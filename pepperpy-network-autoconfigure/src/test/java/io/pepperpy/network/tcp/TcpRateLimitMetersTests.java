package io.pepperpy.network.tcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.NetworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The TCP client's rate limiter records the meters the HTTP client's does, under {@code pepperpy.tcp.client.}.
 */
@Timeout(60)
class TcpRateLimitMetersTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void permitsAndRefusalsAreCounted() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.builder()
					.config(server.config()
						.name("limited")
						.maxRateLimit(1)
						.rateLimitTimeout(Duration.ofMillis(100))
						.build())
					.meterRegistry(registry)
					.build()) {
			client.send(bytes("first")).block(WAIT);
			assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> client.send(bytes("second")).block(WAIT))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.RATE_LIMITED));
			assertThat(registry.get("pepperpy.tcp.client.rate.limit.wait").tag("client", "limited").timer().count())
				.isOne();
			assertThat(registry.get("pepperpy.tcp.client.rate.limit.denied")
				.tags("client", "limited", "backend", "local")
				.counter()
				.count()).isEqualTo(1.0);
		}
	}

	@Test
	void aClientWithoutRateLimitRegistersNoRateLimitMeter() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		try (TestServer server = TestServer.start(TestServer::echoLines);
				TcpClient client = TcpClient.builder()
					.config(server.config().name("open").build())
					.meterRegistry(registry)
					.build()) {
			assertThat(client.send(bytes("free")).block(WAIT)).isNotEmpty();
			assertThat(registry.find("pepperpy.tcp.client.exchanges").timers()).isNotEmpty();
			assertThat(registry.getMeters())
				.noneSatisfy((meter) -> assertThat(meter.getId().getName()).contains("rate.limit"));
		}
	}

}
