package io.pepperpy.network.tcp;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking loopback TCP server for tests: one thread per connection runs a {@link Handler}, and the server
 * counts connections accepted and still open, so tests can check that the client leaks none.
 */
final class TestServer implements AutoCloseable {

	@FunctionalInterface
	interface Handler {

		void handle(Socket socket, InputStream in, OutputStream out) throws IOException, InterruptedException;

	}

	private final ServerSocket serverSocket;

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "test-server");
		thread.setDaemon(true);
		return thread;
	});

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger open = new AtomicInteger();

	private TestServer(Handler handler, int receiveBuffer) throws IOException {
		this(handler, receiveBuffer, new ServerSocket());
	}

	private TestServer(Handler handler, int receiveBuffer, ServerSocket serverSocket) throws IOException {
		this.serverSocket = serverSocket;
		if (receiveBuffer > 0) {
			this.serverSocket.setReceiveBufferSize(receiveBuffer);
		}
		this.serverSocket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
		this.executor.execute(() -> {
			while (!this.serverSocket.isClosed()) {
				try {
					Socket socket = this.serverSocket.accept();
					this.accepted.incrementAndGet();
					this.open.incrementAndGet();
					this.sockets.add(socket);
					this.executor.execute(() -> {
						try (socket) {
							handler.handle(socket, socket.getInputStream(), socket.getOutputStream());
						}
						catch (IOException | InterruptedException ex) {
							// the client went away
						}
						finally {
							this.open.decrementAndGet();
						}
					});
				}
				catch (IOException ex) {
					return;
				}
			}
		});
	}

	static TestServer start(Handler handler) throws IOException {
		return new TestServer(handler, 0);
	}

	static TestServer start(Handler handler, int receiveBuffer) throws IOException {
		return new TestServer(handler, receiveBuffer);
	}

	static TestServer startTls(Handler handler, javax.net.ssl.SSLContext context) throws IOException {
		return new TestServer(handler, 0, context.getServerSocketFactory().createServerSocket());
	}

	int port() {
		return this.serverSocket.getLocalPort();
	}

	int accepted() {
		return this.accepted.get();
	}

	int open() {
		return this.open.get();
	}

	TcpConfig.Builder config() {
		return TcpConfig.builder()
			.host("127.0.0.1")
			.port(port())
			.connectTimeout(java.time.Duration.ofSeconds(2))
			.readTimeout(java.time.Duration.ofSeconds(2))
			.writeTimeout(java.time.Duration.ofSeconds(2))
			.retryDelay(java.time.Duration.ofMillis(20));
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
		this.executor.shutdownNow();
	}

	/**
	 * Echo every line back, until the client closes the connection.
	 */
	static void echoLines(Socket socket, InputStream in, OutputStream out) throws IOException {
		java.io.BufferedReader reader = new java.io.BufferedReader(
				new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
		String line;
		while ((line = reader.readLine()) != null) {
			out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
		}
	}

	/**
	 * Answer each frame ending with "||" with "ACK:" and the frame.
	 */
	static void acknowledgeDelimited(Socket socket, InputStream in, OutputStream out) throws IOException {
		java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
		int previous = -1;
		int b;
		while ((b = in.read()) != -1) {
			if (b == '|' && previous == '|') {
				byte[] bytes = frame.toByteArray();
				String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
				out.write(("ACK:" + text + "||").getBytes(StandardCharsets.UTF_8));
				out.flush();
				frame.reset();
				previous = -1;
				continue;
			}
			frame.write(b);
			previous = b;
		}
	}

	/**
	 * Read frames with a big-endian length prefix of the given size and answer each with its upper-case form.
	 */
	static Handler upperCaseLengthPrefixed(int prefix) {
		return (socket, in, out) -> {
			DataInputStream data = new DataInputStream(in);
			while (true) {
				int length;
				try {
					length = switch (prefix) {
						case 1 -> data.readUnsignedByte();
						case 2 -> data.readUnsignedShort();
						default -> data.readInt();
					};
				}
				catch (java.io.EOFException ex) {
					return;
				}
				byte[] payload = data.readNBytes(length);
				byte[] reply = new String(payload, StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT)
					.getBytes(StandardCharsets.UTF_8);
				java.io.DataOutputStream output = new java.io.DataOutputStream(out);
				switch (prefix) {
					case 1 -> output.writeByte(reply.length);
					case 2 -> output.writeShort(reply.length);
					default -> output.writeInt(reply.length);
				}
				output.write(reply);
				output.flush();
			}
		};
	}

	/**
	 * Read until the client half-closes, then answer the reversed bytes and close.
	 */
	static void reverseUntilEof(Socket socket, InputStream in, OutputStream out) throws IOException {
		byte[] all = in.readAllBytes();
		byte[] reversed = new byte[all.length];
		for (int i = 0; i < all.length; i++) {
			reversed[i] = all[all.length - 1 - i];
		}
		out.write(reversed);
		out.flush();
	}

	/**
	 * Read one line and return it, or null at the end of the stream.
	 */
	static String readLine(InputStream in) throws IOException {
		java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			line.write(b);
		}
		return (b == -1 && line.size() == 0) ? null : line.toString(StandardCharsets.UTF_8);
	}

}
