package io.pepperpy.network.internal.limit;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where a client's calls take their rate-limit permits: {@link RateGate} in this JVM, or {@link RedisRateGate}
 * shared by every instance that uses the same Redis key. Both hand out one permit per {@code 1/R} slot and wait
 * on Reactor timers, never on a thread.
 */
public interface PermitGate {

	/**
	 * Return whether a caller may go without asking (no limit, no pause), so the hot path skips the gate.
	 * @return whether the gate is open
	 */
	default boolean isOpen() {
		return false;
	}

	/**
	 * Wait for a permit.
	 * @param maxWait the longest the caller accepts to wait
	 * @return a {@code Mono} that completes when the caller may send, or fails with
	 * {@link PermitUnavailableException} when the wait would be longer than {@code maxWait}
	 */
	Mono<Void> acquire(Duration maxWait);

	/**
	 * Stop handing out permits for a while, because a server said so (429 with {@code Retry-After}).
	 * @param wait how long to pause from now
	 */
	void pause(Duration wait);

	/**
	 * Pace the permits by the quota the partner advertised on a response: {@code remaining} requests until it resets
	 * in {@code resetNanos}. Ignored by gates that do not pace.
	 * @param remaining requests left until the reset
	 * @param resetNanos time until the reset
	 */
	default void quota(long remaining, long resetNanos) {
	}

	/**
	 * Return how long from now the client is paused, zero when it is not.
	 * @return the remaining pause
	 */
	Duration pausedFor();

	/**
	 * Create the gate the settings ask for: a {@link RedisRateGate} when they name a Redis key, else a
	 * {@link RateGate}.
	 * @param settings the limit
	 * @param redisConnection a Lettuce {@code StatefulRedisConnection<String, String>} or, for a Redis Cluster,
	 * {@code StatefulRedisClusterConnection<String, String>}, required when the limit is shared; typed {@code Object} so that this class links without Lettuce on the class path
	 * @param listener told what the gate did
	 * @param logger where a shared gate logs its fall-back and recovery
	 * @return the gate
	 */
	static PermitGate create(GateSettings settings, @Nullable Object redisConnection, RateLimitListener listener,
			org.slf4j.Logger logger) {
		if (settings.shared()) {
			return RedisRateGate.create(settings, requireConnection(settings.owner(), redisConnection), listener,
					logger);
		}
		return new RateGate(settings.permitsPerSecond(), System::nanoTime, listener);
	}

	/**
	 * Check that a limit shared through Redis has a connection to Redis: a client checks it when it is built, and
	 * again when it makes its gate on first use.
	 * @param owner the limited client, as messages name it (for example {@code HTTP client 'users'})
	 * @param redisConnection the connection, or {@code null}
	 * @return the connection
	 * @throws IllegalStateException naming the client and the fix when there is none
	 */
	static Object requireConnection(String owner, @Nullable Object redisConnection) {
		if (redisConnection == null) {
			throw new IllegalStateException(owner
					+ " has rate-limit.backend: redis but no Redis connection: add spring-boot-starter-data-redis (it "
					+ "brings io.lettuce:lettuce-core and Boot's Redis module) and set spring.data.redis.*, or pass "
					+ "one to the client's builder (redisConnection(...))");
		}
		return redisConnection;
	}

}
