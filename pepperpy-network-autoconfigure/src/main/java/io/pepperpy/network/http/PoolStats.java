package io.pepperpy.network.http;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Collects the client's connection pools (Reactor Netty keeps one per remote address) so their active, idle and
 * pending counts can be read as one: for the {@code pepperpy.http.client.connections} gauge, the client's state,
 * and the tests' leak gates.
 */
final class PoolStats implements ConnectionProvider.MeterRegistrar {

	private final Map<String, ConnectionPoolMetrics> pools = new ConcurrentHashMap<>();

	/** The pool when there is exactly one (a client with a base URL), read on every request. */
	private volatile @Nullable ConnectionPoolMetrics single;

	@Override
	public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
			ConnectionPoolMetrics metrics) {
		this.pools.put(id + "/" + remoteAddress, metrics);
		this.single = (this.pools.size() == 1) ? metrics : null;
	}

	@Override
	public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
		this.pools.remove(id + "/" + remoteAddress);
		this.single = (this.pools.size() == 1) ? this.pools.values().iterator().next() : null;
	}

	/**
	 * Return whether the client's only pool has as many requests waiting for a connection as it accepts, so the
	 * next one would be refused anyway. Answers {@code false} when there are several pools (one per remote
	 * address): each enforces its own limit then.
	 * @param pendingAcquireMaxCount the pool's limit, -1 for none
	 * @return whether the pool is saturated
	 */
	boolean saturated(int pendingAcquireMaxCount) {
		ConnectionPoolMetrics pool = this.single;
		return pendingAcquireMaxCount > 0 && pool != null && pool.pendingAcquireSize() >= pendingAcquireMaxCount;
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
