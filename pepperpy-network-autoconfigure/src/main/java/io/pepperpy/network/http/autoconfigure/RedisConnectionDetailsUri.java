package io.pepperpy.network.http.autoconfigure;

import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.util.StringUtils;

/**
 * The one mapping from Boot's {@link DataRedisConnectionDetails} (a {@code @ServiceConnection}, Docker Compose, or
 * the {@code spring.data.redis.*} properties) to the Lettuce {@link RedisURI} that the shared rate limit connects
 * to, with what Boot applies beside the details from {@link DataRedisProperties}: a {@code rediss://} URL's TLS and
 * the client name. It reads the details as Boot's own Lettuce connection does, so the limit and the application's
 * Redis go to the same place.
 * <p>
 * A standalone Redis and one behind Sentinel are mapped. A Redis Cluster ({@code getCluster()}) and a static
 * master/replica set are refused today, naming the property, because the limit's script is not yet cluster-safe.
 * Cluster support (issue 27) goes here: the cluster's nodes become one {@code RedisURI} each, the seeds of a
 * {@code RedisClusterClient}, while everything else (credentials, TLS, client name) is applied to each node as it
 * is to the standalone URI below.
 */
final class RedisConnectionDetailsUri {

	private RedisConnectionDetailsUri() {
	}

	/**
	 * Return where the details point, as a Lettuce URI.
	 * @param details Boot's connection details (its bean, or the properties')
	 * @param properties the bound {@code spring.data.redis.*} properties
	 * @return the URI, with credentials, database, client name and TLS (without the bundle's material, which
	 * {@link RedisRateLimitConnection} applies)
	 * @throws IllegalStateException for a Redis Cluster or master/replica set, or an invalid database or node,
	 * naming the property
	 */
	static RedisURI of(DataRedisConnectionDetails details, DataRedisProperties properties) {
		if (details.getCluster() != null || details.getMasterReplica() != null) {
			throw new IllegalStateException("pepperpy.network.http.rate-limit.backend: redis needs a standalone "
					+ "Redis or one behind Sentinel, but spring.data.redis names a cluster (spring.data.redis.cluster."
					+ "nodes) or master/replica set (spring.data.redis.masterreplica.nodes): point the rate limit at "
					+ "one Redis (the limit is one key)");
		}
		RedisURI uri;
		DataRedisConnectionDetails.Sentinel sentinel = details.getSentinel();
		if (sentinel != null) {
			RedisURI.Builder builder = RedisURI.builder().withSentinelMasterId(sentinel.getMaster());
			sentinel.getNodes().forEach((node) -> builder.withSentinel(node.host(), node.port()));
			uri = builder.build();
			uri.setDatabase(database(sentinel.getDatabase()));
		}
		else {
			DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
			// A URL without a port (redis://host) gives -1: Redis's own port, as Lettuce reads such a URL.
			int port = (standalone.getPort() > 0) ? standalone.getPort() : RedisURI.DEFAULT_REDIS_PORT;
			uri = RedisURI.create(standalone.getHost(), port);
			uri.setDatabase(database(standalone.getDatabase()));
		}
		if (StringUtils.hasText(details.getPassword())) {
			if (StringUtils.hasText(details.getUsername())) {
				uri.setUsername(details.getUsername());
			}
			uri.setPassword(details.getPassword().toCharArray());
		}
		if (details.getSslBundle() != null || urlUsesSsl(properties.getUrl())) {
			uri.setSsl(true);
		}
		if (StringUtils.hasText(properties.getClientName())) {
			uri.setClientName(properties.getClientName());
		}
		return uri;
	}

	private static int database(int database) {
		if (database < 0) {
			throw new IllegalStateException(
					"spring.data.redis.database must be 0 or more but was " + database + " (the Redis database)");
		}
		return database;
	}

	/**
	 * Whether the URL asks for TLS ({@code rediss://}), which Boot's Lettuce connection reads from the property
	 * rather than from the details.
	 */
	private static boolean urlUsesSsl(@Nullable String url) {
		return url != null && url.trim().startsWith("rediss:");
	}

}
