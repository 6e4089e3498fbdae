package io.pepperpy.network.http;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} on a free loopback port, started as a child process for the tests that register
 * this extension (as a static field) and stopped after them. Nothing is persisted. Fails, never skips, when
 * redis-server is not installed.
 */
final class RedisServer implements BeforeAllCallback, AfterAllCallback {

	static final Path BINARY = Path.of("/usr/bin/redis-server");

	private int port;

	private Process process;

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		if (!Files.isExecutable(BINARY)) {
			throw new IllegalStateException(BINARY + " is missing: install redis-server (apt-get install -y "
					+ "redis-server) to run the distributed rate-limit tests");
		}
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			this.port = socket.getLocalPort();
		}
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

	int port() {
		return this.port;
	}

	/**
	 * Start the server on its port and wait until it accepts connections.
	 */
	void start() throws IOException, InterruptedException {
		this.process = new ProcessBuilder(List.of(BINARY.toString(), "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"))
			.redirectErrorStream(true)
			.redirectOutput(new File("target/redis-server-" + this.port + ".log"))
			.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
				return;
			}
			catch (IOException ex) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("redis-server exited with " + this.process.exitValue()
							+ ", see target/redis-server-" + this.port + ".log");
				}
				Thread.sleep(50);
			}
		}
		throw new IllegalStateException("redis-server did not listen on port " + this.port + " within 10 s");
	}

	/**
	 * Stop the server (as a crash would: at once) and wait until it is gone.
	 */
	void stop() {
		if (this.process != null && this.process.isAlive()) {
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
