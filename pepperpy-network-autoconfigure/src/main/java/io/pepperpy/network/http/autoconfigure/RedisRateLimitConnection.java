package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.pepperpy.network.http.HttpClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;

/**
 * The Redis connection that clients with {@code rate-limit.backend: redis} keep their shared limit in: one
 * Lettuce connection (thread-safe, multiplexed) for every client of the application, closed with the context. It
 * is either a standalone connection (a Redis, or one behind Sentinel) or a Redis Cluster connection
 * ({@link #connectCluster}), which sends each limit's key to the master that owns its slot.
 * <p>
 * It is tuned so that nothing waits on a dead Redis: commands are rejected at once while disconnected instead of
 * being buffered, every command times out, and reconnection is retried at least once a second. A cluster
 * connection also follows a failover: its topology refresh learns the promoted replica, so that the shared limit
 * resumes on it.
 */
public final class RedisRateLimitConnection implements AutoCloseable {

	private final AbstractRedisClient client;

	private final StatefulConnection<String, String> connection;

	private RedisRateLimitConnection(AbstractRedisClient client, StatefulConnection<String, String> connection) {
		this.client = client;
		this.connection = connection;
	}

	/**
	 * Connect to Redis.
	 * @param uri where Redis is, with its credentials and database
	 * @param timeout connect timeout and the bound of every command
	 * @return the open connection
	 */
	public static RedisRateLimitConnection connect(RedisURI uri, Duration timeout) {
		return connect(uri, timeout, null);
	}

	/**
	 * Connect to Redis, over TLS with an SSL bundle's trust material (and key material, for a Redis that checks
	 * clients' certificates), as Spring Boot's own Lettuce connection does.
	 * @param uri where Redis is, with its credentials and database
	 * @param timeout connect timeout and the bound of every command
	 * @param sslBundle the bundle ({@code spring.data.redis.ssl.bundle}), or {@code null} for the URI's own TLS
	 * setting with the JVM's trust store
	 * @return the open connection
	 */
	public static RedisRateLimitConnection connect(RedisURI uri, Duration timeout, @Nullable SslBundle sslBundle) {
		return connect(uri, timeout, timeout, sslBundle);
	}

	/**
	 * Connect to Redis with a connect timeout of its own ({@code spring.data.redis.connect-timeout}).
	 * @param uri where Redis is, with its credentials, database and client name
	 * @param timeout the bound of every command
	 * @param connectTimeout the bound of opening the connection
	 * @param sslBundle the bundle, or {@code null} for the URI's own TLS setting with the JVM's trust store
	 * @return the open connection
	 */
	static RedisRateLimitConnection connect(RedisURI uri, Duration timeout, Duration connectTimeout,
			@Nullable SslBundle sslBundle) {
		ClientOptions.Builder options = ClientOptions.builder();
		configure(options, List.of(uri), timeout, connectTimeout, sslBundle);
		ClientResources resources = resources();
		RedisClient client = RedisClient.create(resources, uri);
		client.setOptions(options.build());
		try {
			return new RedisRateLimitConnection(client, client.connect(StringCodec.UTF8));
		}
		catch (RuntimeException ex) {
			shutdown(client);
			throw ex;
		}
	}

	/**
	 * Connect to a Redis Cluster (or a Valkey cluster), over TLS with an SSL bundle when one is given.
	 * @param nodes some of the cluster's nodes (at least one must answer), each with the credentials and client
	 * name to use on every node; the rest of the cluster is discovered from them
	 * @param timeout the bound of every command, and of opening each node's connection
	 * @param topologyRefresh when the client re-reads the cluster's topology (periodically, and on the adaptive
	 * triggers such as persistent reconnects and {@code MOVED} redirections), so that a promoted replica takes over
	 * the limit
	 * @param maxRedirects the most {@code MOVED}/{@code ASK} redirections one command follows
	 * @param sslBundle the bundle, or {@code null} for the nodes' own TLS setting with the JVM's trust store
	 * @return the open connection
	 */
	public static RedisRateLimitConnection connectCluster(List<RedisURI> nodes, Duration timeout,
			ClusterTopologyRefreshOptions topologyRefresh, int maxRedirects, @Nullable SslBundle sslBundle) {
		return connectCluster(nodes, timeout, timeout, topologyRefresh, maxRedirects, sslBundle);
	}

	static RedisRateLimitConnection connectCluster(List<RedisURI> nodes, Duration timeout, Duration connectTimeout,
			ClusterTopologyRefreshOptions topologyRefresh, int maxRedirects, @Nullable SslBundle sslBundle) {
		ClusterClientOptions.Builder options = ClusterClientOptions.builder()
			.topologyRefreshOptions(topologyRefresh)
			.maxRedirects(maxRedirects);
		configure(options, nodes, timeout, connectTimeout, sslBundle);
		ClientResources resources = resources();
		RedisClusterClient client = RedisClusterClient.create(resources, nodes);
		client.setOptions(options.build());
		try {
			StatefulRedisClusterConnection<String, String> connection = client.connect(StringCodec.UTF8);
			connectMasters(connection);
			return new RedisRateLimitConnection(client, connection);
		}
		catch (RuntimeException ex) {
			shutdown(client);
			throw ex;
		}
	}

	/**
	 * Open the connection to each master now: Lettuce opens a node's connection on the first command for it, and
	 * that connect, with the first call's other start-up costs, could pass {@code rate-limit.redis.command-timeout}
	 * and send the first calls to the local share (a WARN at every start). A master that does not answer is left to
	 * that first call, as after a failover.
	 */
	private static void connectMasters(StatefulRedisClusterConnection<String, String> connection) {
		for (RedisClusterNode node : connection.getPartitions()) {
			if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
				try {
					connection.getConnection(node.getNodeId());
				}
				catch (RuntimeException ex) {
					// The gate falls back to the local share on that master's keys until it answers.
				}
			}
		}
	}

	/**
	 * What a standalone and a cluster connection share: reject at once while disconnected, bound every command,
	 * TLS from the bundle.
	 */
	private static void configure(ClientOptions.Builder options, List<RedisURI> uris, Duration timeout,
			Duration connectTimeout, @Nullable SslBundle sslBundle) {
		options.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
			.timeoutOptions(TimeoutOptions.enabled(timeout));
		if (sslBundle != null) {
			options.sslOptions(sslOptions(sslBundle));
		}
		for (RedisURI uri : uris) {
			if (sslBundle != null) {
				uri.setSsl(true);
			}
			uri.setTimeout(timeout);
		}
	}

	private static ClientResources resources() {
		return ClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
			.build();
	}

	private static void shutdown(AbstractRedisClient client) {
		ClientResources resources = client.getResources();
		client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		resources.shutdown(0, 2, TimeUnit.SECONDS);
	}

	/**
	 * Lettuce's TLS options from a bundle: its key and trust managers, ciphers and protocols.
	 */
	static SslOptions sslOptions(SslBundle sslBundle) {
		SslOptions.Builder builder = SslOptions.builder()
			.keyManager(sslBundle.getManagers().getKeyManagerFactory())
			.trustManager(sslBundle.getManagers().getTrustManagerFactory());
		org.springframework.boot.ssl.SslOptions options = sslBundle.getOptions();
		if (options.getCiphers() != null) {
			builder.cipherSuites(options.getCiphers());
		}
		if (options.getEnabledProtocols() != null) {
			builder.protocols(options.getEnabledProtocols());
		}
		return builder.build();
	}

	/**
	 * Give the connection to a client builder.
	 * @param builder the builder
	 */
	@SuppressWarnings("unchecked")
	public void applyTo(HttpClient.Builder builder) {
		if (this.connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
			builder.redisConnection((StatefulRedisClusterConnection<String, String>) cluster);
		}
		else {
			builder.redisConnection((StatefulRedisConnection<String, String>) this.connection);
		}
	}

	/**
	 * Return whether this is a Redis Cluster connection.
	 * @return whether {@link #clusterConnection()} (rather than {@link #connection()}) gives the connection
	 */
	public boolean isCluster() {
		return this.connection instanceof StatefulRedisClusterConnection;
	}

	/**
	 * Return the underlying Lettuce connection to a standalone Redis (or one behind Sentinel).
	 * @return the connection
	 * @throws IllegalStateException when this is a cluster connection
	 */
	@SuppressWarnings("unchecked")
	public StatefulRedisConnection<String, String> connection() {
		if (isCluster()) {
			throw new IllegalStateException("the shared rate limit's Redis is a cluster: use clusterConnection()");
		}
		return (StatefulRedisConnection<String, String>) this.connection;
	}

	/**
	 * Return the underlying Lettuce connection to a Redis Cluster.
	 * @return the connection
	 * @throws IllegalStateException when this is a standalone connection
	 */
	@SuppressWarnings("unchecked")
	public StatefulRedisClusterConnection<String, String> clusterConnection() {
		if (!isCluster()) {
			throw new IllegalStateException("the shared rate limit's Redis is not a cluster: use connection()");
		}
		return (StatefulRedisClusterConnection<String, String>) this.connection;
	}

	@Override
	public void close() {
		this.connection.close();
		shutdown(this.client);
	}

}
