package io.pepperpy.network.test;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.pepperpy.network.http.HttpConfig;

/**
 * The mock servers of an application context started by {@link AutoConfigureMockHttpServers}, one per client,
 * by client name. Inject it into a test ({@code @Autowired MockHttpServers servers}) and stub or verify on
 * {@code servers.get("users")}.
 */
public final class MockHttpServers implements AutoCloseable {

	/**
	 * Name of the bean the servers are registered as.
	 */
	public static final String BEAN_NAME = "pepperpyMockHttpServers";

	private final Map<String, MockHttpServer> servers;

	MockHttpServers(Map<String, MockHttpServer> servers) {
		this.servers = Collections.unmodifiableMap(new LinkedHashMap<>(servers));
	}

	/**
	 * Return the server of a client.
	 * @param clientName the client's name as in {@code pepperpy.network.http.clients.<name>}, or
	 * {@code default} for the default client
	 * @return the server
	 * @throws IllegalArgumentException if no server stands in for that client
	 */
	public MockHttpServer get(String clientName) {
		MockHttpServer server = this.servers.get(clientName);
		if (server == null) {
			throw new IllegalArgumentException("No mock HTTP server for client '" + clientName
					+ "'; there are servers for " + this.servers.keySet());
		}
		return server;
	}

	/**
	 * Return the server of the default client ({@code pepperpy.network.http.base-url}).
	 * @return the server
	 */
	public MockHttpServer defaultServer() {
		return get(HttpConfig.DEFAULT_NAME);
	}

	/**
	 * Return the names of the clients that have a server, the default client's ({@code default}) included.
	 * @return the client names
	 */
	public Set<String> clientNames() {
		return this.servers.keySet();
	}

	/**
	 * Remove every stub, recorded request and scenario state from every server.
	 */
	public void resetAll() {
		this.servers.values().forEach(MockHttpServer::resetAll);
	}

	/**
	 * Stop every server.
	 */
	@Override
	public void close() {
		this.servers.values().forEach((server) -> {
			if (server.isRunning()) {
				server.stop();
			}
		});
	}

	@Override
	public String toString() {
		return "MockHttpServers" + this.servers.values();
	}

}
