package io.pepperpy.network.http;

import java.time.Duration;

import io.pepperpy.network.internal.SettingChecks;

/**
 * Settings of an HTTP client's own connection pool ({@code pool.*}). The values are checked when it is created.
 *
 * @param maxConnections most connections open at once
 * @param pendingAcquireMaxCount most requests waiting for a connection; beyond it a request fails at once
 * ({@code -1}: no limit)
 * @param pendingAcquireTimeout longest wait for a connection
 * @param maxIdleTime how long an unused connection is kept; keep it below the servers' keep-alive timeout
 * @param maxLifeTime how long a connection is used at most, so DNS changes are picked up
 * @param evictionInterval how often idle and expired connections are closed in the background
 */
public record ConnectionPool(int maxConnections, int pendingAcquireMaxCount, Duration pendingAcquireTimeout,
		Duration maxIdleTime, Duration maxLifeTime, Duration evictionInterval) {

	/**
	 * The defaults: 500 connections, 1000 waiting for at most 10 s, 4 s idle (below the common 5 s keep-alive of
	 * Node.js and others), 10 min life, eviction every 5 s.
	 */
	public static final ConnectionPool DEFAULTS = new ConnectionPool(500, 1000, Duration.ofSeconds(10),
			Duration.ofSeconds(4), Duration.ofMinutes(10), Duration.ofSeconds(5));

	/**
	 * Check every value.
	 * @throws io.pepperpy.network.InvalidSettingException naming the first invalid value
	 */
	public ConnectionPool {
		SettingChecks.check(maxConnections >= 1, "pool.max-connections", maxConnections, "be 1 or more");
		SettingChecks.check(pendingAcquireMaxCount == -1 || pendingAcquireMaxCount >= 1,
				"pool.pending-acquire-max-count", pendingAcquireMaxCount, "be -1 (no limit) or 1 or more");
		SettingChecks.positive("pool.pending-acquire-timeout", pendingAcquireTimeout);
		SettingChecks.positive("pool.max-idle-time", maxIdleTime);
		SettingChecks.positive("pool.max-life-time", maxLifeTime);
		SettingChecks.positive("pool.eviction-interval", evictionInterval);
	}

}
