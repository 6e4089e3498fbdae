package io.pepperpy.network.http.autoconfigure;

import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.util.StringUtils;

/**
 * Where the shared rate limit's Redis is, from Boot's {@link DataRedisConnectionDetails}: the properties
 * ({@code spring.data.redis.*}), or a {@code @ServiceConnection} (Testcontainers) or Docker Compose service, for a
 * standalone Redis or one behind Sentinel. Kept apart so that the auto-configuration links without Spring Boot's
 * Redis module on the class path.
 */
final class RedisConnectionDetailsUri {

	private RedisConnectionDetailsUri() {
	}

	/**
	 * Return the URI of the details, or {@code null} when the application has none.
	 * @throws IllegalStateException for a Redis Cluster or master/replica set, which the shared limit does not
	 * support
	 */
	static @Nullable RedisURI of(@Nullable Object connectionDetails) {
		if (!(connectionDetails instanceof DataRedisConnectionDetails details)) {
			return null;
		}
		if (details.getCluster() != null || details.getMasterReplica() != null) {
			throw new IllegalStateException("pepperpy.network.http.rate-limit.backend: redis needs a standalone "
					+ "Redis or one behind Sentinel, but spring.data.redis names a cluster or master/replica set: "
					+ "point the rate limit at one Redis (the limit is one key)");
		}
		RedisURI uri;
		DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
		if (sentinel != null) {
			RedisURI.Builder builder = RedisURI.builder().withSentinelMasterId(sentinel.getMaster());
			sentinel.getNodes().forEach((node) -> builder.withSentinel(node.host(), node.port()));
			builder.withDatabase(sentinel.getDatabase());
			uri = builder.build();
		}
		else {
			DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
			uri = RedisURI.create(standalone.getHost(), standalone.getPort());
			uri.setDatabase(standalone.getDatabase());
		}
		if (StringUtils.hasText(details.getPassword())) {
			if (StringUtils.hasText(details.getUsername())) {
				uri.setUsername(details.getUsername());
			}
			uri.setPassword(details.getPassword().toCharArray());
		}
		if (details.getSslBundle() != null) {
			uri.setSsl(true);
		}
		return uri;
	}

	/**
	 * Return the SSL bundle of the details (its trust and key material), or {@code null} for none.
	 */
	static @Nullable SslBundle sslBundle(@Nullable Object connectionDetails) {
		return (connectionDetails instanceof DataRedisConnectionDetails details) ? details.getSslBundle() : null;
	}

}
