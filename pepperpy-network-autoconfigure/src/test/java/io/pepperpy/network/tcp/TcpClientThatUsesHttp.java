package io.pepperpy.network.tcp;

import io.pepperpy.network.http.HttpClient;

/**
 * A test fixture that breaks the architecture on purpose (a TCP class that uses the HTTP client), so that
 * {@code InternalArchitectureTests} can prove its rule fails on one. Never part of the main classes.
 */
public final class TcpClientThatUsesHttp {

	private TcpClientThatUsesHttp() {
	}

	public static Class<?> http() {
		return HttpClient.class;
	}

}
