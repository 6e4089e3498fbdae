package io.pepperpy.network.http;

import org.junit.jupiter.api.extension.Extension;

/**
 * Lets tests in other packages use the package-private {@link RedisServer} extension.
 */
public final class RedisServerAccess {

	private RedisServerAccess() {
	}

	public static Extension server() {
		return new RedisServer();
	}

	public static Extension tlsServer() {
		return RedisServer.withTls();
	}

	public static java.nio.file.Path certificate(Extension server) {
		return ((RedisServer) server).certificate();
	}

	public static int port(Extension server) {
		return ((RedisServer) server).port();
	}

}
