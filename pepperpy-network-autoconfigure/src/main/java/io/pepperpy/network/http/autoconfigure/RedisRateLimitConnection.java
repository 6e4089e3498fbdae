package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.pepperpy.network.http.HttpClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;

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
		ClientOptions.Builder options = ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
			.timeoutOptions(TimeoutOptions.enabled(timeout));
		if (sslBundle != null) {
			uri.setSsl(true);
			options.sslOptions(sslOptions(sslBundle));
		}
		uri.setTimeout(timeout);
		ClientResources resources = ClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
			.build();
		RedisClient client = RedisClient.create(resources, uri);
		client.setOptions(options.build());
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
