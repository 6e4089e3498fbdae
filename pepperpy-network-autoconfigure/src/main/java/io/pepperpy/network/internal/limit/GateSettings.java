package io.pepperpy.network.internal.limit;

import java.time.Duration;

import io.pepperpy.network.limit.RateLimitSettings;
import org.jspecify.annotations.Nullable;

/**
 * What a rate limiter ({@link PermitGate}) is told about the limit it keeps, worked out from a client's
 * {@link RateLimitSettings}, in plain values: how many permits per second, and for a limit shared through Redis,
 * its key, how many instances share it and how long a Redis command may take.
 *
 * @param owner the limited client, as log lines name it (for example {@code HTTP client 'users'})
 * @param permitsPerSecond permits per second, {@code 0} for no limit (only pauses)
 * @param key the Redis key instances share the limit under, or {@code null} for a limit kept in this JVM
 * @param expectedInstances instances expected to share the key; while Redis is unreachable each allows
 * {@code permitsPerSecond / expectedInstances}
 * @param commandTimeout longest wait for one Redis command before the caller falls back to the local share
 */
public record GateSettings(String owner, int permitsPerSecond, @Nullable String key, int expectedInstances,
		Duration commandTimeout) {

	/**
	 * Settings of a client's configured limit: kept in this JVM, or for {@link RateLimitSettings.Backend#REDIS} shared
	 * under the limit's key.
	 * @param owner the limited client, as log lines name it
	 * @param clientName the client's name, for the default Redis key
	 * @param limit the configured limit
	 * @return the settings
	 */
	public static GateSettings of(String owner, String clientName, RateLimitSettings limit) {
		if (limit.backend() != RateLimitSettings.Backend.REDIS) {
			return local(owner, limit.maxPerSecond());
		}
		return new GateSettings(owner, limit.maxPerSecond(), limit.effectiveKey(clientName),
				limit.expectedInstances(), limit.commandTimeout());
	}

	/**
	 * Settings of a limit kept in this JVM.
	 * @param owner the limited client, as log lines name it
	 * @param permitsPerSecond permits per second, {@code 0} for no limit
	 * @return the settings
	 */
	public static GateSettings local(String owner, int permitsPerSecond) {
		return new GateSettings(owner, permitsPerSecond, null, 1, Duration.ZERO);
	}

	/**
	 * Return whether the limit is shared through Redis.
	 * @return whether a key is set
	 */
	public boolean shared() {
		return this.key != null;
	}

}
