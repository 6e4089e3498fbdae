package io.pepperpy.network.limit;

import java.time.Duration;

import io.pepperpy.network.internal.SettingChecks;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * A client's rate limit, as its properties set it: how many requests per second, how long a request may wait for a
 * permit, and where the limit is kept. Shared by the HTTP and TCP clients, whose {@code max-rate-limit} and
 * {@code rate-limit-timeout} mean the same; the values are checked when it is created.
 *
 * @param maxPerSecond most requests per second, attempts included; {@code 0} means no limit
 * @param timeout longest time a request waits for a permit, or {@code null} for the client's deadline or timeout
 * @param backend {@link Backend#LOCAL} (this JVM) or {@link Backend#REDIS} (every instance sharing the key)
 * @param key Redis key of the shared limit, or {@code null} for {@code pepperpy:rate-limit:<client name>}
 * @param expectedInstances instances expected to share the limit; while Redis is unreachable each one allows
 * {@code max-rate-limit / expected-instances} per second
 * @param commandTimeout longest wait for one Redis command before the client falls back to its local share
 * @param serverQuota whether an HTTP client paces itself by the quota its partner advertises in its responses'
 * rate-limit headers ({@link ServerQuota#FOLLOW}) or not; the TCP client has no such headers and ignores it
 */
public record RateLimitSettings(int maxPerSecond, @Nullable Duration timeout, Backend backend, @Nullable String key,
		int expectedInstances, Duration commandTimeout, ServerQuota serverQuota) {

	/**
	 * No limit; were one set, kept in this JVM, and for Redis the client's own key, 2 expected instances and
	 * 200 ms per command.
	 */
	public static final RateLimitSettings DEFAULTS = new RateLimitSettings(0, null, Backend.LOCAL, null, 2,
			Duration.ofMillis(200), ServerQuota.FOLLOW);

	/**
	 * Where the limit is kept.
	 */
	public enum Backend {

		/**
		 * In this JVM: each instance allows the full rate.
		 */
		LOCAL,

		/**
		 * In Redis: all instances that share the key allow the rate together.
		 */
		REDIS

	}

	/**
	 * Whether an HTTP client paces itself by the quota its partner advertises.
	 */
	public enum ServerQuota {

		/**
		 * Read the partner's rate-limit headers and spread the requests left over the time to their reset.
		 */
		FOLLOW,

		/**
		 * Do not read them: only max-rate-limit and Retry-After pace the client.
		 */
		IGNORE

	}

	/**
	 * A limit that follows the partner's advertised quota, as before {@code server-quota} existed.
	 * @param maxPerSecond most requests per second, attempts included; {@code 0} means no limit
	 * @param timeout longest time a request waits for a permit, or {@code null} for the client's deadline or timeout
	 * @param backend where the limit is kept
	 * @param key Redis key of the shared limit, or {@code null} for the default
	 * @param expectedInstances instances expected to share the limit
	 * @param commandTimeout longest wait for one Redis command
	 */
	public RateLimitSettings(int maxPerSecond, @Nullable Duration timeout, Backend backend, @Nullable String key,
			int expectedInstances, Duration commandTimeout) {
		this(maxPerSecond, timeout, backend, key, expectedInstances, commandTimeout, ServerQuota.FOLLOW);
	}

	/**
	 * Check every value.
	 * @throws io.pepperpy.network.InvalidSettingException naming the first invalid value
	 */
	public RateLimitSettings {
		SettingChecks.check(maxPerSecond >= 0, "max-rate-limit", maxPerSecond,
				"be 0 (no limit) or more per second");
		if (timeout != null) {
			SettingChecks.notNegative("rate-limit-timeout", timeout);
		}
		SettingChecks.notNull("rate-limit.backend", backend);
		key = StringUtils.hasText(key) ? key.trim() : null;
		SettingChecks.check(expectedInstances >= 1, "rate-limit.redis.expected-instances", expectedInstances,
				"be 1 or more");
		SettingChecks.positive("rate-limit.redis.command-timeout", commandTimeout);
		SettingChecks.notNull("rate-limit.server-quota", serverQuota);
	}

	/**
	 * Return a copy with another rate.
	 * @param maxPerSecond most requests per second, {@code 0} for no limit
	 * @return the copy
	 */
	public RateLimitSettings withMaxPerSecond(int maxPerSecond) {
		return new RateLimitSettings(maxPerSecond, this.timeout, this.backend, this.key, this.expectedInstances,
				this.commandTimeout, this.serverQuota);
	}

	/**
	 * Return a copy with another permit timeout.
	 * @param timeout longest wait for a permit, or {@code null} for the client's deadline or timeout
	 * @return the copy
	 */
	public RateLimitSettings withTimeout(@Nullable Duration timeout) {
		return new RateLimitSettings(this.maxPerSecond, timeout, this.backend, this.key, this.expectedInstances,
				this.commandTimeout, this.serverQuota);
	}

	/**
	 * Return how long a request may wait for a permit.
	 * @param deadline the client's deadline, or {@code null} for none
	 * @param attemptTimeout the client's timeout of one attempt
	 * @return {@link #timeout()} if set, otherwise the deadline if set, otherwise the attempt timeout
	 */
	public Duration effectiveTimeout(@Nullable Duration deadline, Duration attemptTimeout) {
		if (this.timeout != null) {
			return this.timeout;
		}
		return (deadline != null) ? deadline : attemptTimeout;
	}

	/**
	 * Return the Redis key of the shared limit.
	 * @param clientName the limited client's name
	 * @return {@link #key()} if set, otherwise {@code pepperpy:rate-limit:<client name>}
	 */
	public String effectiveKey(String clientName) {
		return (this.key != null) ? this.key : "pepperpy:rate-limit:" + clientName;
	}

}
