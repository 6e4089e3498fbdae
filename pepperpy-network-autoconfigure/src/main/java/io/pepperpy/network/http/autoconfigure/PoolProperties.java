package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.pepperpy.network.http.ConnectionPool;

import org.springframework.boot.convert.DurationUnit;

/**
 * A client's own connection pool ({@code pool.*}); the defaults are {@link ConnectionPool#DEFAULTS}.
 */
public class PoolProperties {

	/**
	 * Most connections open at once.
	 */
	private int maxConnections = ConnectionPool.DEFAULTS.maxConnections();

	/**
	 * Most requests waiting for a connection; beyond it a request fails at once (-1: no limit).
	 */
	private int pendingAcquireMaxCount = ConnectionPool.DEFAULTS.pendingAcquireMaxCount();

	/**
	 * Longest wait for a connection.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration pendingAcquireTimeout = ConnectionPool.DEFAULTS.pendingAcquireTimeout();

	/**
	 * How long an unused connection is kept; keep it below the servers' keep-alive timeout.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration maxIdleTime = ConnectionPool.DEFAULTS.maxIdleTime();

	/**
	 * How long a connection is used at most, so that DNS changes are picked up.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration maxLifeTime = ConnectionPool.DEFAULTS.maxLifeTime();

	/**
	 * How often idle and expired connections are closed in the background.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration evictionInterval = ConnectionPool.DEFAULTS.evictionInterval();

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	public int getPendingAcquireMaxCount() {
		return this.pendingAcquireMaxCount;
	}

	public void setPendingAcquireMaxCount(int pendingAcquireMaxCount) {
		this.pendingAcquireMaxCount = pendingAcquireMaxCount;
	}

	public Duration getPendingAcquireTimeout() {
		return this.pendingAcquireTimeout;
	}

	public void setPendingAcquireTimeout(Duration pendingAcquireTimeout) {
		this.pendingAcquireTimeout = pendingAcquireTimeout;
	}

	public Duration getMaxIdleTime() {
		return this.maxIdleTime;
	}

	public void setMaxIdleTime(Duration maxIdleTime) {
		this.maxIdleTime = maxIdleTime;
	}

	public Duration getMaxLifeTime() {
		return this.maxLifeTime;
	}

	public void setMaxLifeTime(Duration maxLifeTime) {
		this.maxLifeTime = maxLifeTime;
	}

	public Duration getEvictionInterval() {
		return this.evictionInterval;
	}

	public void setEvictionInterval(Duration evictionInterval) {
		this.evictionInterval = evictionInterval;
	}

}
