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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP CONNECT proxy on loopback for tests: records each CONNECT request line and its
 * {@code Proxy-Authorization} header, then tunnels bytes to the requested host and port. It can instead stall
 * (read the CONNECT and never answer) or refuse credentials other than the ones it requires (407).
 */
final class TunnelProxy implements AutoCloseable {

	record Connect(String requestLine, String proxyAuthorization) {
	}

	private final ServerSocket serverSocket;

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "tunnel-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private final List<Connect> connects = new CopyOnWriteArrayList<>();

	private volatile boolean stall;

	private volatile String requiredAuthorization;

	/**
	 * Read each CONNECT and never answer it.
	 */
	TunnelProxy stall() {
		this.stall = true;
		return this;
	}

	/**
	 * Answer 407 to a CONNECT without this {@code Proxy-Authorization} value.
	 */
	TunnelProxy requireAuthorization(String authorization) {
		this.requiredAuthorization = authorization;
		return this;
	}

	TunnelProxy() throws IOException {
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.executor.execute(this::acceptLoop);
	}

	int port() {
		return this.serverSocket.getLocalPort();
	}

	List<Connect> connects() {
		return this.connects;
	}

	private void acceptLoop() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket client = this.serverSocket.accept();
				this.executor.execute(() -> handle(client));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void handle(Socket client) {
		try (client) {
			InputStream in = client.getInputStream();
			String head = readHead(in);
			String[] lines = head.split("\r\n");
			String requestLine = lines[0];
			String authorization = null;
			for (String line : lines) {
				if (line.toLowerCase().startsWith("proxy-authorization:")) {
					authorization = line.substring(line.indexOf(':') + 1).trim();
				}
			}
			this.connects.add(new Connect(requestLine, authorization));
			if (this.stall) {
				in.transferTo(OutputStream.nullOutputStream());
				return;
			}
			if (this.requiredAuthorization != null && !this.requiredAuthorization.equals(authorization)) {
				OutputStream out = client.getOutputStream();
				out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
						+ "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
				return;
			}
			String[] target = requestLine.split(" ")[1].split(":");
			try (Socket upstream = new Socket(target[0], Integer.parseInt(target[1]))) {
				OutputStream out = client.getOutputStream();
				out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
				this.executor.execute(() -> pipe(in, upstream));
				pipe(upstream.getInputStream(), client);
			}
		}
		catch (IOException ex) {
			// connection ended
		}
	}

	private static void pipe(InputStream in, Socket to) {
		try {
			in.transferTo(to.getOutputStream());
			to.shutdownOutput();
		}
		catch (IOException ex) {
			// connection ended
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
		while (matched < end.length) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("closed");
			}
			head.write(b);
			matched = (b == end[matched]) ? matched + 1 : ((b == end[0]) ? 1 : 0);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		this.executor.shutdownNow();
	}

}
