package io.pepperpy.network.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket HTTP/1.1 server on loopback that answers every request with one fault shape, for the shapes
 * WireMock does not produce reliably. It counts requests by their {@code X-Request-Id} header.
 */
final class FaultServer implements AutoCloseable {

	enum Shape {

		/** Accept, then reset before reading anything. */
		RESET_AT_START,
		/** Read the request, then close without a response. */
		CLOSE_BEFORE_RESPONSE,
		/** Read the request, then reset (RST). */
		RESET_AFTER_REQUEST,
		/** Answer with bytes that are not HTTP, then close. */
		RANDOM_DATA_THEN_CLOSE,
		/** A chunked body whose chunk size is not hexadecimal. */
		MALFORMED_CHUNK,
		/** Read the request and never answer. */
		STALL_BEFORE_HEADERS,
		/** Send the status line and headers one byte every 100 ms. */
		SLOW_HEADERS,
		/** Send the body one byte every 100 ms. */
		DRIBBLE_BODY,
		/** Announce 1000 bytes, send 100, close. */
		DISCONNECT_MID_BODY,
		/** Never read the request body and never answer. */
		NOT_READING_UPLOAD,
		/** Answer 302 to another path of this server. */
		REDIRECT,
		/** Answer 200 with a small JSON body and keep the connection open. */
		OK

	}

	private final ServerSocket serverSocket;

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "fault-server");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, AtomicInteger> requestsById = new ConcurrentHashMap<>();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final AtomicInteger connections = new AtomicInteger();

	private volatile Shape shape = Shape.OK;

	FaultServer() throws IOException {
		this.serverSocket = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
		this.executor.execute(this::acceptLoop);
	}

	int port() {
		return this.serverSocket.getLocalPort();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + port();
	}

	void shape(Shape shape) {
		this.shape = shape;
	}

	int requests(String id) {
		AtomicInteger count = this.requestsById.get(id);
		return (count != null) ? count.get() : 0;
	}

	int connections() {
		return this.connections.get();
	}

	private void acceptLoop() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket socket = this.serverSocket.accept();
				this.connections.incrementAndGet();
				this.sockets.add(socket);
				this.executor.execute(() -> handle(socket));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void handle(Socket socket) {
		try {
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			while (!socket.isClosed()) {
				Shape current = this.shape;
				if (current == Shape.RESET_AT_START) {
					reset(socket);
					return;
				}
				String head = readHead(in);
				if (head == null) {
					return;
				}
				String id = header(head, "x-request-id");
				if (id != null) {
					this.requestsById.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
				}
				long length = Long.parseLong(java.util.Objects.requireNonNullElse(header(head, "content-length"), "0"));
				if (current == Shape.NOT_READING_UPLOAD) {
					// The fault itself: the upload is never read, so the client's writes stall.
					Thread.sleep(60_000);
					return;
				}
				in.skipNBytes(length);
				switch (current) {
					case CLOSE_BEFORE_RESPONSE -> {
						socket.close();
						return;
					}
					case RESET_AFTER_REQUEST -> {
						reset(socket);
						return;
					}
					case RANDOM_DATA_THEN_CLOSE -> {
						byte[] noise = new byte[512];
						new java.util.Random(42).nextBytes(noise);
						out.write(noise);
						out.flush();
						socket.close();
						return;
					}
					case MALFORMED_CHUNK -> {
						out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
								+ "ZZZ\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
						out.flush();
						// On purpose: the client reads the malformed chunk before the close, not the close alone.
						Thread.sleep(200);
						socket.close();
						return;
					}
					case STALL_BEFORE_HEADERS -> {
						// The fault itself: no headers ever come, to provoke the client's timeout.
						Thread.sleep(60_000);
						return;
					}
					case SLOW_HEADERS -> {
						for (byte b : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n{}"
							.getBytes(StandardCharsets.US_ASCII)) {
							out.write(b);
							out.flush();
							// The fault itself: a byte every 100 ms, to provoke the client's timeout.
							Thread.sleep(100);
						}
						return;
					}
					case DRIBBLE_BODY -> {
						String body = "{\"data\":\"" + "x".repeat(100) + "\"}";
						out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
								+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
						for (byte b : body.getBytes(StandardCharsets.US_ASCII)) {
							out.write(b);
							out.flush();
							// The fault itself: a byte every 100 ms, to provoke the client's timeout.
							Thread.sleep(100);
						}
						return;
					}
					case DISCONNECT_MID_BODY -> {
						out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
								+ "{\"data\":\"" + "x".repeat(90)).getBytes(StandardCharsets.US_ASCII));
						out.flush();
						// On purpose: the client reads the start of the body before the close.
						Thread.sleep(50);
						socket.close();
						return;
					}
					case REDIRECT -> out.write(("HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
					default -> out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
							+ "{\"ok\":true}").getBytes(StandardCharsets.US_ASCII));
				}
				out.flush();
			}
		}
		catch (IOException ex) {
			// the client went away
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}
	}

	private static void reset(Socket socket) throws IOException {
		socket.setSoLinger(true, 0);
		socket.close();
	}

	private static String header(String head, String name) {
		for (String line : head.split("\r\n")) {
			int colon = line.indexOf(':');
			if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
				return line.substring(colon + 1).trim();
			}
		}
		return null;
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		while (matched < end.length) {
			int b = in.read();
			if (b < 0) {
				return null;
			}
			head.write(b);
			matched = (b == end[matched]) ? matched + 1 : ((b == end[0]) ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
		this.executor.shutdownNow();
	}

}
