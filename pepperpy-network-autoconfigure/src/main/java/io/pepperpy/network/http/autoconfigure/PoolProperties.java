package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.pepperpy.network.http.ConnectionPool;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationUnit;

/**
 * A client's own connection pool ({@code pool.*}); a property that is not set
 * ({@code null}) takes its value from {@link ConnectionPool#DEFAULTS}.
 */
public class PoolProperties {

	/**
	 * Most connections open at once.
	 */
	private @Nullable Integer maxConnections;

	/**
	 * Most requests waiting for a connection; beyond it a request fails at once (-1: no limit).
	 */
	private @Nullable Integer pendingAcquireMaxCount;

	/**
	 * Longest wait for a connection.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration pendingAcquireTimeout;

	/**
	 * How long an unused connection is kept; keep it below the servers' keep-alive timeout.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration maxIdleTime;

	/**
	 * How long a connection is used at most, so that DNS changes are picked up.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration maxLifeTime;

	/**
	 * How often idle and expired connections are closed in the background.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration evictionInterval;

	public @Nullable Integer getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(@Nullable Integer maxConnections) {
		this.maxConnections = maxConnections;
	}

	public @Nullable Integer getPendingAcquireMaxCount() {
		return this.pendingAcquireMaxCount;
	}

	public void setPendingAcquireMaxCount(@Nullable Integer pendingAcquireMaxCount) {
		this.pendingAcquireMaxCount = pendingAcquireMaxCount;
	}

	public @Nullable Duration getPendingAcquireTimeout() {
		return this.pendingAcquireTimeout;
	}

	public void setPendingAcquireTimeout(@Nullable Duration pendingAcquireTimeout) {
		this.pendingAcquireTimeout = pendingAcquireTimeout;
	}

	public @Nullable Duration getMaxIdleTime() {
		return this.maxIdleTime;
	}

	public void setMaxIdleTime(@Nullable Duration maxIdleTime) {
		this.maxIdleTime = maxIdleTime;
	}

	public @Nullable Duration getMaxLifeTime() {
		return this.maxLifeTime;
	}

	public void setMaxLifeTime(@Nullable Duration maxLifeTime) {
		this.maxLifeTime = maxLifeTime;
	}

	public @Nullable Duration getEvictionInterval() {
		return this.evictionInterval;
	}

	public void setEvictionInterval(@Nullable Duration evictionInterval) {
		this.evictionInterval = evictionInterval;
	}

}
