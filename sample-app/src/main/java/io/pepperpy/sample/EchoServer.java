package io.pepperpy.sample;

import io.netty.handler.codec.LineBasedFrameDecoder;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * An embedded line echo server on a free loopback port, so the sample's TCP scenario needs no network.
 */
final class EchoServer implements AutoCloseable {

	private final DisposableServer server;

	EchoServer() {
		this.server = TcpServer.create()
			.host("127.0.0.1")
			.port(0)
			.doOnConnection((connection) -> connection.addHandlerLast(new LineBasedFrameDecoder(64 * 1024)))
			.handle((in, out) -> out.sendString(in.receive().asString().map((line) -> "echo: " + line + "\n")))
			.bindNow();
	}

	int port() {
		return this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
