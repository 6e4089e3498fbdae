package io.pepperpy.network.http.autoconfigure;

import java.util.List;

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
 * A standalone Redis and one behind Sentinel are mapped by {@link #of}; a Redis Cluster's nodes
 * ({@code getCluster()}) by {@link #clusterNodes}, one {@code RedisURI} each, the seeds of a
 * {@code RedisClusterClient}, with the same credentials, TLS and client name on each. A static master/replica set
 * is refused, naming the property: the limit writes on every call, so it needs the master, which such a set does
 * not say.
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
	 * @throws IllegalStateException for a Redis Cluster (see {@link #clusterNodes}) or a master/replica set, or an
	 * invalid database or node, naming the property
	 */
	static RedisURI of(DataRedisConnectionDetails details, DataRedisProperties properties) {
		if (details.getCluster() != null) {
			throw new IllegalStateException("spring.data.redis names a cluster: its nodes are clusterNodes(...)");
		}
		refuseMasterReplica(details);
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
		return withCommonSettings(uri, details, properties);
	}

	/**
	 * Return the nodes of the Redis Cluster that the details point to, as Lettuce URIs.
	 * @param details Boot's connection details, whose {@code getCluster()} is not {@code null}
	 * @param properties the bound {@code spring.data.redis.*} properties
	 * @return one URI per node, each with the credentials, client name and TLS
	 * @throws IllegalStateException when no node is listed, naming the property
	 */
	static List<RedisURI> clusterNodes(DataRedisConnectionDetails details, DataRedisProperties properties) {
		refuseMasterReplica(details);
		DataRedisConnectionDetails.Cluster cluster = details.getCluster();
		if (cluster == null || cluster.getNodes().isEmpty()) {
			throw new IllegalStateException("spring.data.redis.cluster.nodes must list at least one host:port of the "
					+ "Redis Cluster (the connection of pepperpy.network.http.rate-limit.backend: redis)");
		}
		return cluster.getNodes()
			.stream()
			.map((node) -> withCommonSettings(RedisURI.create(node.host(), node.port()), details, properties))
			.toList();
	}

	private static void refuseMasterReplica(DataRedisConnectionDetails details) {
		if (details.getMasterReplica() != null) {
			throw new IllegalStateException("pepperpy.network.http.rate-limit.backend: redis needs a standalone "
					+ "Redis, one behind Sentinel or a Redis Cluster, but spring.data.redis names a master/replica set "
					+ "(spring.data.redis.masterreplica.nodes): point the rate limit at the master, or at Sentinel");
		}
	}

	/**
	 * Credentials, TLS and client name, the same on a standalone URI and on each cluster node.
	 */
	private static RedisURI withCommonSettings(RedisURI uri, DataRedisConnectionDetails details,
			DataRedisProperties properties) {
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
