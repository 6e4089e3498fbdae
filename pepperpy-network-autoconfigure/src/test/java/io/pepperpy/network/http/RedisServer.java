package io.pepperpy.network.http;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import redis.embedded.core.ExecutableProvider;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} on a free loopback port, started as a child process for the tests that register
 * this extension (as a static field) and stopped after them. Nothing is persisted.
 * <p>
 * The machine's own {@code redis-server} is used when it has one (on the {@code PATH} or in {@code /usr/bin});
 * otherwise the binary that {@code com.github.codemonstur:embedded-redis} ships for this OS and architecture is
 * unpacked and run, so the tests need nothing but Java. Either way it is the same real server, run as a process
 * of its own, so the tests can crash and restart it.
 * <p>
 * {@link #withTls()} makes one that speaks only TLS (both binaries are built with it), with a self-signed
 * certificate for 127.0.0.1 and localhost whose PEM file {@link #certificate()} gives, to trust it.
 */
final class RedisServer implements BeforeAllCallback, AfterAllCallback {

	private static volatile Path binary;

	private final boolean tls;

	private final List<String> extraArguments;

	private int port;

	private Process process;

	private Path certificate;

	private Path key;

	RedisServer() {
		this(false);
	}

	private RedisServer(boolean tls) {
		this.tls = tls;
		this.extraArguments = List.of();
	}

	/**
	 * A server on a given port with arguments of its own (a cluster node's), started by {@link #start()}.
	 */
	RedisServer(int port, List<String> extraArguments) {
		this.tls = false;
		this.port = port;
		this.extraArguments = extraArguments;
	}

	static RedisServer withTls() {
		return new RedisServer(true);
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			this.port = socket.getLocalPort();
		}
		if (this.tls) {
			writePem(Files.createTempDirectory(Path.of("target"), "redis-tls"));
		}
		start();
	}

	/**
	 * The PEM certificate of a TLS server.
	 */
	Path certificate() {
		return this.certificate;
	}

	private void writePem(Path directory) throws Exception {
		java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
		char[] password = "changeit".toCharArray();
		try (var in = Files.newInputStream(io.pepperpy.network.tcp.TcpTlsTestSupport.generateKeyStore(directory))) {
			store.load(in, password);
		}
		java.util.Base64.Encoder base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes());
		this.certificate = directory.resolve("redis.crt");
		Files.writeString(this.certificate, "-----BEGIN CERTIFICATE-----\n"
				+ base64.encodeToString(store.getCertificate("server").getEncoded()) + "\n-----END CERTIFICATE-----\n");
		this.key = directory.resolve("redis.key");
		Files.writeString(this.key, "-----BEGIN PRIVATE KEY-----\n"
				+ base64.encodeToString(store.getKey("server", password).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
	}

	private List<String> portArguments() {
		if (!this.tls) {
			return List.of("--port", Integer.toString(this.port));
		}
		return List.of("--port", "0", "--tls-port", Integer.toString(this.port), "--tls-cert-file",
				this.certificate.toString(), "--tls-key-file", this.key.toString(), "--tls-auth-clients", "no");
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	int port() {
		return this.port;
	}

	boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * Start the server on its port and wait until it accepts connections.
	 */
	void start() throws IOException, InterruptedException {
		List<String> command = new java.util.ArrayList<>(List.of(binary().toString()));
		command.addAll(portArguments());
		command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"));
		command.addAll(this.extraArguments);
		this.process = new ProcessBuilder(command)
			.redirectErrorStream(true)
			.redirectOutput(new File("target/redis-server-" + this.port + ".log"))
			.start();
		Process started = this.process;
		await().alias("redis-server listening on port " + this.port)
			.atMost(Duration.ofSeconds(10))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(50))
			.failFast(() -> {
				if (!started.isAlive()) {
					throw new IllegalStateException("redis-server exited with " + started.exitValue()
							+ ", see target/redis-server-" + this.port + ".log");
				}
			})
			.until(this::listening);
	}

	private boolean listening() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * The {@code redis-server} to run: the machine's own when it has one, else the one embedded-redis ships.
	 */
	static Path binary() throws IOException {
		Path found = binary;
		if (found == null) {
			found = systemBinary();
			if (found == null) {
				found = ExecutableProvider.newJarResourceProvider().get().toPath();
			}
			binary = found;
		}
		return found;
	}

	private static Path systemBinary() {
		String path = System.getenv().getOrDefault("PATH", "");
		for (String dir : (path + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
			if (!dir.isEmpty()) {
				Path candidate = Path.of(dir, "redis-server");
				if (Files.isExecutable(candidate)) {
					return candidate;
				}
			}
		}
		return null;
	}

	/**
	 * Stop the server (as a crash would: at once) and wait until it is gone.
	 */
	void stop() {
		if (this.process != null && this.process.isAlive()) {
			// SIGKILL, as a crash: the node writes nothing more.
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
