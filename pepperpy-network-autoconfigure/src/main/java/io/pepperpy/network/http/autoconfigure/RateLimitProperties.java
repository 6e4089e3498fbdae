package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.pepperpy.network.limit.RateLimitSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationUnit;

/**
 * Where a client's {@code max-rate-limit} is kept ({@code rate-limit.*}): in this JVM, or shared through Redis. A
 * property that is not set ({@code null}) takes its value from {@link RateLimitSettings#DEFAULTS}.
 */
public class RateLimitProperties {

	/**
	 * Where max-rate-limit is kept: local (each instance allows the full rate) or redis (all instances sharing
	 * the key allow it together).
	 */
	private RateLimitSettings.@Nullable Backend backend;

	/**
	 * Whether to pace calls by the quota the partner advertises in its responses' rate-limit headers (follow) or
	 * not (ignore).
	 */
	private RateLimitSettings.@Nullable ServerQuota serverQuota;

	/**
	 * Shared limit in Redis, used when the backend is redis.
	 */
	private final Redis redis = new Redis();

	public RateLimitSettings.@Nullable Backend getBackend() {
		return this.backend;
	}

	public void setBackend(RateLimitSettings.@Nullable Backend backend) {
		this.backend = backend;
	}

	public RateLimitSettings.@Nullable ServerQuota getServerQuota() {
		return this.serverQuota;
	}

	public void setServerQuota(RateLimitSettings.@Nullable ServerQuota serverQuota) {
		this.serverQuota = serverQuota;
	}

	public Redis getRedis() {
		return this.redis;
	}

	/**
	 * Redis rate-limit properties.
	 */
	public static class Redis {

		/**
		 * Redis key of the shared limit; instances that use the same key share one limit. Defaults to
		 * pepperpy:rate-limit:<client name>.
		 */
		private @Nullable String key;

		/**
		 * Instances expected to share the limit; while Redis is unreachable each allows max-rate-limit divided by
		 * this.
		 */
		private @Nullable Integer expectedInstances;

		/**
		 * Longest wait for one Redis command before the call falls back to the local share.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private @Nullable Duration commandTimeout;

		public @Nullable String getKey() {
			return this.key;
		}

		public void setKey(@Nullable String key) {
			this.key = key;
		}

		public @Nullable Integer getExpectedInstances() {
			return this.expectedInstances;
		}

		public void setExpectedInstances(@Nullable Integer expectedInstances) {
			this.expectedInstances = expectedInstances;
		}

		public @Nullable Duration getCommandTimeout() {
			return this.commandTimeout;
		}

		public void setCommandTimeout(@Nullable Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
		}

	}

}
