package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.pepperpy.network.http.HttpClient;

/**
 * The Redis connection that clients with {@code rate-limit.backend: redis} keep their shared limit in: one
 * Lettuce connection (thread-safe, multiplexed) for every client of the application, closed with the context.
 * <p>
 * It is tuned so that nothing waits on a dead Redis: commands are rejected at once while disconnected instead of
 * being buffered, every command times out, and reconnection is retried at least once a second.
 */
public final class RedisRateLimitConnection implements AutoCloseable {

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private RedisRateLimitConnection(RedisClient client, StatefulRedisConnection<String, String> connection) {
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
		ClientResources resources = ClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
			.build();
		RedisClient client = RedisClient.create(resources, uri);
		client.setOptions(ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
			.timeoutOptions(TimeoutOptions.enabled(timeout))
			.build());
		try {
			return new RedisRateLimitConnection(client, client.connect(StringCodec.UTF8));
		}
		catch (RuntimeException ex) {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
			resources.shutdown(0, 2, TimeUnit.SECONDS);
			throw ex;
		}
	}

	/**
	 * Give the connection to a client builder.
	 * @param builder the builder
	 */
	public void applyTo(HttpClient.Builder builder) {
		builder.redisConnection(this.connection);
	}

	/**
	 * Return the underlying Lettuce connection.
	 * @return the connection
	 */
	public StatefulRedisConnection<String, String> connection() {
		return this.connection;
	}

	@Override
	public void close() {
		this.connection.close();
		ClientResources resources = this.client.getResources();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		resources.shutdown(0, 2, TimeUnit.SECONDS);
	}

}
