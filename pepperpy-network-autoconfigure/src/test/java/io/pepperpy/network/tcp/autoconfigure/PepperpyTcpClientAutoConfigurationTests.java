package io.pepperpy.network.tcp.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.tcp.Framing;
import io.pepperpy.network.tcp.TcpClient;
import io.pepperpy.network.tcp.TcpConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PepperpyTcpClientAutoConfiguration} in a real application context.
 */
@Timeout(60)
class PepperpyTcpClientAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final char[] PASSWORD = "changeit".toCharArray();

	private static ServerSocket echo;

	private static ServerSocket tlsEcho;

	@TempDir
	static Path directory;

	private static Path keyStore;

	/** The protocol of each handshake {@link #tlsEcho} completed. */
	private static final List<String> negotiated = new CopyOnWriteArrayList<>();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyTcpClientAutoConfiguration.class));

	@BeforeAll
	static void startServers() throws Exception {
		echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		serve(echo);
		keyStore = io.pepperpy.network.tcp.TcpTlsTestSupport.generateKeyStore(directory);
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStore)) {
			store.load(in, PASSWORD);
		}
		KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keyManagers.init(store, PASSWORD);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(keyManagers.getKeyManagers(), null, null);
		tlsEcho = context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
		serve(tlsEcho);
	}

	private static void serve(ServerSocket server) {
		Thread acceptor = new Thread(() -> {
			while (!server.isClosed()) {
				try {
					Socket socket = server.accept();
					Thread handler = new Thread(() -> {
						try (socket) {
							if (socket instanceof SSLSocket tls) {
								negotiated.add(tls.getSession().getProtocol());
							}
							var reader = new java.io.BufferedReader(
									new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
							String line;
							while ((line = reader.readLine()) != null) {
								socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
								socket.getOutputStream().flush();
							}
						}
						catch (IOException ex) {
							// client went away
						}
					});
					handler.setDaemon(true);
					handler.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		});
		acceptor.setDaemon(true);
		acceptor.start();
	}

	@AfterAll
	static void stopServers() throws IOException {
		echo.close();
		tlsEcho.close();
	}

	private static String send(TcpClient client, String text) {
		return new String(client.send(text.getBytes(StandardCharsets.UTF_8)).block(WAIT), StandardCharsets.UTF_8);
	}

	@Test
	void noHostNoClient() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TcpClient.class));
	}

	@Test
	void withoutAnyTcpPropertyNothingIsConfigured() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(PepperpyTcpProperties.class)
			.doesNotHaveBean(PepperpyTcpClientAutoConfiguration.class));
		this.contextRunner.withPropertyValues("pepperpy.network.tcp.retries=2")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(PepperpyTcpProperties.class)
				.doesNotHaveBean(TcpClient.class));
	}

	@Test
	void hostAndPortMakeTheDefaultClient() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.tcp.host=127.0.0.1", "pepperpy.network.tcp.port=" + echo.getLocalPort())
			.run((context) -> {
				assertThat(context).hasSingleBean(TcpClient.class).hasBean("pepperpyTcpClient");
				TcpClient client = context.getBean(TcpClient.class);
				assertThat(client.config()).isEqualTo(
						TcpConfig.builder().host("127.0.0.1").port(echo.getLocalPort()).build());
				assertThat(send(client, "hello")).isEqualTo("hello");
			});
	}

	@Test
	void propertiesBindWithBareNumbersAsSeconds() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.tcp.host=device.local", "pepperpy.network.tcp.port=7000",
					"pepperpy.network.tcp.connect-timeout=2", "pepperpy.network.tcp.read-timeout=500ms",
					"pepperpy.network.tcp.write-timeout=3", "pepperpy.network.tcp.deadline=20",
					"pepperpy.network.tcp.tls=true", "pepperpy.network.tcp.verify-ssl=false",
					"pepperpy.network.tcp.framing=length-prefixed", "pepperpy.network.tcp.delimiter=||",
					"pepperpy.network.tcp.length-field-length=2", "pepperpy.network.tcp.max-frame-length=64KB",
					"pepperpy.network.tcp.pool-size=4", "pepperpy.network.tcp.pool-idle-time=15",
					"pepperpy.network.tcp.keep-alive=false", "pepperpy.network.tcp.retries=5",
					"pepperpy.network.tcp.retry-delay=200ms", "pepperpy.network.tcp.retry-backoff-multiplier=1.5",
					"pepperpy.network.tcp.retry-max-delay=2", "pepperpy.network.tcp.retry-jitter=10ms",
					"pepperpy.network.tcp.idempotent=true", "pepperpy.network.tcp.max-rate-limit=50",
					"pepperpy.network.tcp.rate-limit-timeout=1")
			.run((context) -> {
				TcpConfig config = context.getBean(TcpClient.class).config();
				assertThat(config.host()).isEqualTo("device.local");
				assertThat(config.port()).isEqualTo(7000);
				assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(config.readTimeout()).isEqualTo(Duration.ofMillis(500));
				assertThat(config.writeTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(config.deadline()).isEqualTo(Duration.ofSeconds(20));
				assertThat(config.tls()).isTrue();
				assertThat(config.verifySsl()).isFalse();
				assertThat(config.framing()).isEqualTo(Framing.LENGTH_PREFIXED);
				assertThat(config.delimiter()).isEqualTo("||");
				assertThat(config.lengthFieldLength()).isEqualTo(2);
				assertThat(config.maxFrameLength()).isEqualTo((int) DataSize.ofKilobytes(64).toBytes());
				assertThat(config.poolSize()).isEqualTo(4);
				assertThat(config.poolIdleTime()).isEqualTo(Duration.ofSeconds(15));
				assertThat(config.keepAlive()).isFalse();
				assertThat(config.retry().maxRetries()).isEqualTo(5);
				assertThat(config.retry().delay()).isEqualTo(Duration.ofMillis(200));
				assertThat(config.retry().multiplier()).isEqualTo(1.5);
				assertThat(config.retry().maxDelay()).isEqualTo(Duration.ofSeconds(2));
				assertThat(config.retry().jitter()).isEqualTo(Duration.ofMillis(10));
				assertThat(config.idempotent()).isTrue();
				assertThat(config.rateLimit().maxPerSecond()).isEqualTo(50);
				assertThat(config.rateLimit().timeout()).isEqualTo(Duration.ofSeconds(1));
			});
	}

	@Test
	void backsOffWhenTheUserDefinesTheClient() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class)
			.withPropertyValues("pepperpy.network.tcp.host=127.0.0.1", "pepperpy.network.tcp.port=7000")
			.run((context) -> {
				assertThat(context).hasSingleBean(TcpClient.class).doesNotHaveBean("pepperpyTcpClient");
				assertThat(context.getBean(TcpClient.class).config().name()).isEqualTo("mine");
			});
	}

	@Test
	void backsOffWithoutReactorNettyTcp() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(reactor.netty.tcp.TcpClient.class))
			.withPropertyValues("pepperpy.network.tcp.host=127.0.0.1", "pepperpy.network.tcp.port=7000")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(TcpClient.class));
	}

	@Test
	void namedClientsInheritUnsetValuesAndAreQualified() {
		this.contextRunner.withUserConfiguration(NamedClientUser.class)
			.withPropertyValues("pepperpy.network.tcp.host=127.0.0.1", "pepperpy.network.tcp.port=" + echo.getLocalPort(),
					"pepperpy.network.tcp.read-timeout=7", "pepperpy.network.tcp.retries=1",
					"pepperpy.network.tcp.clients.cache.port=" + echo.getLocalPort(),
					"pepperpy.network.tcp.clients.cache.retries=4",
					"pepperpy.network.tcp.clients.device.host=localhost",
					"pepperpy.network.tcp.clients.device.port=9000",
					"pepperpy.network.tcp.clients.device.framing=raw")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasBean("pepperpyTcpClient")
					.hasBean("cacheTcpClient")
					.hasBean("deviceTcpClient");
				TcpConfig cache = context.getBean("cacheTcpClient", TcpClient.class).config();
				assertThat(cache.name()).isEqualTo("cache");
				assertThat(cache.host()).isEqualTo("127.0.0.1");
				assertThat(cache.readTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(cache.retry().maxRetries()).isEqualTo(4);
				TcpConfig device = context.getBean("deviceTcpClient", TcpClient.class).config();
				assertThat(device.host()).isEqualTo("localhost");
				assertThat(device.port()).isEqualTo(9000);
				assertThat(device.framing()).isEqualTo(Framing.RAW);
				assertThat(device.retry().maxRetries()).isEqualTo(1);
				NamedClientUser user = context.getBean(NamedClientUser.class);
				assertThat(user.cache.config().name()).isEqualTo("cache");
				assertThat(user.primary.config().name()).isEqualTo("default");
				assertThat(send(user.cache, "named")).isEqualTo("named");
			});
	}

	@Test
	void namedClientsWorkWithoutADefaultClient() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.tcp.clients.only.host=127.0.0.1",
					"pepperpy.network.tcp.clients.only.port=" + echo.getLocalPort())
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean("pepperpyTcpClient").hasBean("onlyTcpClient");
				assertThat(send(context.getBean(TcpClient.class), "solo")).isEqualTo("solo");
			});
	}

	@Test
	void metersGoToTheMeterRegistryBean() {
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("pepperpy.network.tcp.host=127.0.0.1", "pepperpy.network.tcp.port=" + echo.getLocalPort())
			.run((context) -> {
				send(context.getBean(TcpClient.class), "m");
				assertThat(context.getBean(SimpleMeterRegistry.class)
					.get("pepperpy.tcp.client.exchanges")
					.tags("client", "default", "outcome", "SUCCESS")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void sslBundleProvidesTheTrustMaterial() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(PepperpyTcpClientAutoConfiguration.class, SslAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.jks.server.truststore.location=file:" + keyStore,
					"spring.ssl.bundle.jks.server.truststore.password=changeit",
					"spring.ssl.bundle.jks.server.truststore.type=PKCS12", "pepperpy.network.tcp.host=127.0.0.1",
					"pepperpy.network.tcp.port=" + tlsEcho.getLocalPort(), "pepperpy.network.tcp.ssl-bundle=server")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TcpClient client = context.getBean(TcpClient.class);
				assertThat(client.config().secure()).isTrue();
				assertThat(send(client, "bundled")).isEqualTo("bundled");
			});
	}

	@Test
	void sslBundleOptionsLimitTheHandshake() {
		negotiated.clear();
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(PepperpyTcpClientAutoConfiguration.class, SslAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.jks.server.truststore.location=file:" + keyStore,
					"spring.ssl.bundle.jks.server.truststore.password=changeit",
					"spring.ssl.bundle.jks.server.truststore.type=PKCS12",
					"spring.ssl.bundle.jks.server.options.enabled-protocols=TLSv1.2",
					"pepperpy.network.tcp.host=127.0.0.1", "pepperpy.network.tcp.port=" + tlsEcho.getLocalPort(),
					"pepperpy.network.tcp.ssl-bundle=server")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(send(context.getBean(TcpClient.class), "v12")).isEqualTo("v12");
				// Left alone, the JDK's client and server agree on TLSv1.3.
				assertThat(negotiated).containsExactly("TLSv1.2");
			});
	}

	@Test
	void insecureSslCanBeForbiddenGlobally() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.tcp.allow-insecure-ssl=false", "pepperpy.network.tcp.host=127.0.0.1",
					"pepperpy.network.tcp.port=7000", "pepperpy.network.tcp.tls=true",
					"pepperpy.network.tcp.verify-ssl=false")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("pepperpy.network.tcp.verify-ssl")
				.hasMessageContaining("verify-ssl: false is forbidden by pepperpy.network.tcp.allow-insecure-ssl"));
	}

	@Test
	void insecureSslCanBeForbiddenForNamedClients() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.tcp.allow-insecure-ssl=false",
					"pepperpy.network.tcp.clients.device.host=127.0.0.1",
					"pepperpy.network.tcp.clients.device.port=7000", "pepperpy.network.tcp.clients.device.tls=true",
					"pepperpy.network.tcp.clients.device.verify-ssl=false")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("clients[device].verifySsl")
				.hasMessageContaining("verify-ssl: false is forbidden by pepperpy.network.tcp.allow-insecure-ssl"));
	}

	@Test
	void insecureSslIsAllowedByDefault() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.tcp.host=127.0.0.1", "pepperpy.network.tcp.port=7000",
					"pepperpy.network.tcp.tls=true", "pepperpy.network.tcp.verify-ssl=false")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(TcpClient.class));
	}

	@Test
	void unknownSslBundleFailsStartup() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(PepperpyTcpClientAutoConfiguration.class, SslAutoConfiguration.class))
			.withPropertyValues("pepperpy.network.tcp.host=127.0.0.1", "pepperpy.network.tcp.port=7000",
					"pepperpy.network.tcp.ssl-bundle=missing")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("missing"));
	}

	@Test
	void invalidValuesFailStartupNamingPropertyAndValue() {
		Map<String, String> cases = Map.of("pepperpy.network.tcp.port=70000", "port",
				"pepperpy.network.tcp.read-timeout=-5", "read-timeout", "pepperpy.network.tcp.retries=-1", "retries",
				"pepperpy.network.tcp.framing=xml", "framing", "pepperpy.network.tcp.length-field-length=3",
				"length-field-length", "pepperpy.network.tcp.pool-size=0", "pool-size",
				"pepperpy.network.tcp.max-rate-limit=-3", "max-rate-limit",
				"pepperpy.network.tcp.retry-backoff-multiplier=0.5", "retry-backoff-multiplier",
				"pepperpy.network.tcp.clients.orders.pool-size=-2", "clients");
		cases.forEach((property, name) -> this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).as(property).hasFailed();
			String value = property.substring(property.indexOf('=') + 1);
			StringBuilder messages = new StringBuilder();
			for (Throwable ex = context.getStartupFailure(); ex != null; ex = ex.getCause()) {
				messages.append(ex.getMessage()).append('\n');
			}
			assertThat(messages.toString()).as(property).contains("pepperpy.network.tcp." + name).contains(value);
		}));
	}

	@Test
	void namedClientWithoutHostFailsStartupNamingIt() {
		this.contextRunner.withPropertyValues("pepperpy.network.tcp.clients.orders.port=7000").run((context) -> {
			assertThat(context).hasFailed();
			StringBuilder messages = new StringBuilder();
			for (Throwable ex = context.getStartupFailure(); ex != null; ex = ex.getCause()) {
				messages.append(ex.getMessage()).append('\n');
			}
			assertThat(messages.toString()).contains("pepperpy.network.tcp.clients.orders").contains("host");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		TcpClient myTcpClient() {
			return TcpClient.create(TcpConfig.builder().name("mine").host("127.0.0.1").port(7001).build());
		}

	}

	static class NamedClientUser {

		final TcpClient cache;

		final TcpClient primary;

		NamedClientUser(@Qualifier("cache") TcpClient cache, TcpClient primary) {
			this.cache = cache;
			this.primary = primary;
		}

	}

}
