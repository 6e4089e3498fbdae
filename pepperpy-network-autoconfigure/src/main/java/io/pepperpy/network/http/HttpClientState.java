package io.pepperpy.network.http;

import java.time.Duration;
import java.util.Map;

/**
 * What a client is configured with and how it is doing, for operators (the actuator endpoint
 * {@code /actuator/httpclients} shows it). Secrets are redacted.
 *
 * @param name the client's name
 * @param configuration the effective configuration, header values of credential headers and proxy passwords
 * replaced by {@code ***}
 * @param maxRateLimit the configured permits per second, 0 for no limit
 * @param pausedFor how much longer the client is paused by a server's {@code Retry-After}, zero when it is not
 * @param retryBudgetRemaining retries the client may still make in the current 10 s window
 * @param activeConnections connections in use by a request
 * @param idleConnections open connections waiting in the pool
 * @param pendingAcquires requests waiting for a connection
 * @param circuitBreaker the circuit breaker's state: {@code closed}, {@code open}, {@code half_open}, or
 * {@code disabled} when the client has none
 */
public record HttpClientState(String name, Map<String, Object> configuration, int maxRateLimit, Duration pausedFor,
		long retryBudgetRemaining, int activeConnections, int idleConnections, int pendingAcquires,
		String circuitBreaker) {

}
