package io.pepperpy.network.http;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Collects the client's connection pools (Reactor Netty keeps one per remote address) so their active, idle and
 * pending counts can be read as one: for the {@code pepperpy.http.client.connections} gauge, the client's state,
 * and the tests' leak gates.
 */
final class PoolStats implements ConnectionProvider.MeterRegistrar {

	private final Map<String, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();

	@Override
	public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
			ConnectionPoolMetrics metrics) {
		this.pools.put(id + "/" + remoteAddress, metrics);
	}

	@Override
	public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
		this.pools.remove(id + "/" + remoteAddress);
	}

	int active() {
		return this.pools.values().stream().mapToInt(ConnectionPoolMetrics::acquiredSize).sum();
	}

	int idle() {
		return this.pools.values().stream().mapToInt(ConnectionPoolMetrics::idleSize).sum();
	}

	int pending() {
		return this.pools.values().stream().mapToInt(ConnectionPoolMetrics::pendingAcquireSize).sum();
	}

}
