package io.pepperpy.network.http.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the Redis connection behind {@code pepperpy.network.http.rate-limit.backend: redis}:
 * active only when that backend is configured and Lettuce is on the class path. The connection goes where Boot's
 * {@link DataRedisConnectionDetails} point: Boot's bean when its Redis auto-configuration is active (so
 * {@code @ServiceConnection}, Docker Compose and Sentinel reach it), else details made from
 * {@link DataRedisProperties}, bound as Boot binds them. The command timeout, connect timeout and client name come
 * from the same properties; an SSL bundle's trust and key material are used, as Boot's own connection does.
 * <p>
 * A Redis Cluster ({@code spring.data.redis.cluster.nodes}, or details whose {@code getCluster()} is set) gets a
 * Lettuce cluster connection with {@code spring.data.redis.cluster.max-redirects} and the topology refresh of
 * {@code spring.data.redis.lettuce.cluster.refresh.*}. Where those are not set, the refresh is on (adaptive, and
 * every {@value #DEFAULT_REFRESH_SECONDS} s) rather than off as in Boot: without it the limit would never learn of a
 * failover and would stay on the local share.
 * <p>
 * Boot's Redis module ({@code spring-boot-data-redis}) is what reads {@code spring.data.redis.*}: with Lettuce but
 * without it, start-up fails saying to add it rather than guessing at the properties.
 */
@AutoConfiguration(before = PepperpyHttpClientAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisClient.class)
@Conditional(OnRedisRateLimitBackendCondition.class)
public final class PepperpyRedisRateLimitAutoConfiguration {

	/**
	 * Used when {@code spring.data.redis.timeout} is not set: Boot's own connection then waits up to a minute, far
	 * longer than a rate limit may, since {@code rate-limit.redis.command-timeout} bounds each call anyway.
	 */
	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * Period of the cluster topology refresh when {@code spring.data.redis.lettuce.cluster.refresh.period} is not set:
	 * how long, at worst, the limit stays on the local share after a replica is promoted.
	 */
	static final long DEFAULT_REFRESH_SECONDS = 10;

	/**
	 * Least time between two adaptive refreshes (Lettuce's default is 30 s): the first trigger comes when the dead
	 * master's connection fails, before a replica is promoted, and the next one should not wait long behind it.
	 */
	private static final Duration ADAPTIVE_REFRESH_TIMEOUT = Duration.ofSeconds(5);

	private static final String REFRESH_PREFIX = "spring.data.redis.lettuce.cluster.refresh";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DataRedisProperties.class)
	@EnableConfigurationProperties(DataRedisProperties.class)
	static class BootRedisConnection {

		@Bean
		@ConditionalOnMissingBean
		RedisRateLimitConnection pepperpyRedisRateLimitConnection(DataRedisProperties properties,
				ObjectProvider<DataRedisConnectionDetails> connectionDetails, ObjectProvider<SslBundles> sslBundles,
				Environment environment) {
			DataRedisConnectionDetails details = connectionDetails
				.getIfAvailable(() -> new PropertiesConnectionDetails(properties, sslBundles.getIfAvailable()));
			Duration timeout = positive("spring.data.redis.timeout", properties.getTimeout(), DEFAULT_TIMEOUT);
			Duration connectTimeout = positive("spring.data.redis.connect-timeout", properties.getConnectTimeout(),
					timeout);
			if (details.getCluster() != null) {
				return RedisRateLimitConnection.connectCluster(RedisConnectionDetailsUri.clusterNodes(details,
						properties), timeout, connectTimeout, topologyRefresh(properties, environment),
						maxRedirects(properties), details.getSslBundle());
			}
			return RedisRateLimitConnection.connect(RedisConnectionDetailsUri.of(details, properties), timeout,
					connectTimeout, details.getSslBundle());
		}

		/**
		 * Boot's {@code spring.data.redis.lettuce.cluster.refresh.*}, as Boot applies them, except that an unset
		 * period or {@code adaptive} turns the refresh on (see the class's Javadoc).
		 */
		private static ClusterTopologyRefreshOptions topologyRefresh(DataRedisProperties properties,
				Environment environment) {
			DataRedisProperties.Lettuce.Cluster.Refresh refresh = properties.getLettuce().getCluster().getRefresh();
			Binder binder = Binder.get(environment);
			boolean adaptive = binder.bind(REFRESH_PREFIX + ".adaptive", Boolean.class).orElse(true);
			Duration period = positive(REFRESH_PREFIX + ".period", refresh.getPeriod(),
					Duration.ofSeconds(DEFAULT_REFRESH_SECONDS));
			ClusterTopologyRefreshOptions.Builder builder = ClusterTopologyRefreshOptions.builder()
				.dynamicRefreshSources(refresh.isDynamicRefreshSources())
				.enablePeriodicRefresh(period);
			if (adaptive) {
				builder.enableAllAdaptiveRefreshTriggers().adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_TIMEOUT);
			}
			return builder.build();
		}

		private static int maxRedirects(DataRedisProperties properties) {
			Integer maxRedirects = (properties.getCluster() != null) ? properties.getCluster().getMaxRedirects() : null;
			if (maxRedirects == null) {
				return ClusterClientOptions.DEFAULT_MAX_REDIRECTS;
			}
			if (maxRedirects < 0) {
				throw new IllegalStateException("spring.data.redis.cluster.max-redirects must be 0 or more but was "
						+ maxRedirects + " (the Redis Cluster of pepperpy.network.http.rate-limit.backend: redis)");
			}
			return maxRedirects;
		}

		private static Duration positive(String property, @Nullable Duration value, Duration defaultValue) {
			if (value == null) {
				return defaultValue;
			}
			if (value.isNegative() || value.isZero()) {
				throw new IllegalStateException(property + " must be positive but was " + value
						+ " (the Redis connection of pepperpy.network.http.rate-limit.backend: redis)");
			}
			return value;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.boot.data.redis.autoconfigure.DataRedisProperties")
	static class WithoutBootRedis {

		@Bean
		@ConditionalOnMissingBean
		RedisRateLimitConnection pepperpyRedisRateLimitConnection() {
			throw new IllegalStateException("pepperpy.network.http.rate-limit.backend: redis connects where "
					+ "spring.data.redis.* point, which Spring Boot's Redis module reads: add "
					+ "org.springframework.boot:spring-boot-starter-data-redis (or spring-boot-data-redis), or define "
					+ "a RedisRateLimitConnection bean");
		}

	}

	/**
	 * Boot's connection details from the {@code spring.data.redis.*} properties, for when Boot's Redis
	 * auto-configuration is not active (it is excluded, or Spring Data Redis is not on the class path). Boot's own
	 * ({@code PropertiesDataRedisConnectionDetails}) is package-private, so this reads the properties as it does:
	 * a {@code url} wins over host, port, database and credentials; {@code ssl.enabled} (or an {@code ssl.bundle})
	 * gives the bundle or the JVM's trust store. Unlike Boot's, a wrong value fails naming its property.
	 */
	static final class PropertiesConnectionDetails implements DataRedisConnectionDetails {

		private final DataRedisProperties properties;

		private final @Nullable SslBundles sslBundles;

		private final @Nullable URI url;

		PropertiesConnectionDetails(DataRedisProperties properties, @Nullable SslBundles sslBundles) {
			this.properties = properties;
			this.sslBundles = sslBundles;
			this.url = url(properties.getUrl());
		}

		@Override
		public @Nullable String getUsername() {
			return (this.url != null) ? credential(this.url, true) : this.properties.getUsername();
		}

		@Override
		public @Nullable String getPassword() {
			return (this.url != null) ? credential(this.url, false) : this.properties.getPassword();
		}

		@Override
		public @Nullable SslBundle getSslBundle() {
			if (!this.properties.getSsl().isEnabled()) {
				return null;
			}
			String name = this.properties.getSsl().getBundle();
			if (!StringUtils.hasText(name)) {
				return SslBundle.systemDefault();
			}
			if (this.sslBundles == null) {
				throw new IllegalStateException("spring.data.redis.ssl.bundle names the SSL bundle '" + name
						+ "', but the application has no SslBundles (Spring Boot's SslAutoConfiguration): define it "
						+ "under spring.ssl.bundle.*");
			}
			try {
				return this.sslBundles.getBundle(name.trim());
			}
			catch (NoSuchSslBundleException ex) {
				throw new IllegalStateException("spring.data.redis.ssl.bundle names the SSL bundle '" + name
						+ "', which spring.ssl.bundle.* does not define", ex);
			}
		}

		@Override
		public Standalone getStandalone() {
			if (this.url == null) {
				return Standalone.of(this.properties.getHost(), this.properties.getPort(),
						this.properties.getDatabase());
			}
			return Standalone.of(this.url.getHost(), this.url.getPort(), urlDatabase(this.url));
		}

		@Override
		public @Nullable Sentinel getSentinel() {
			DataRedisProperties.Sentinel sentinel = this.properties.getSentinel();
			if (sentinel == null) {
				return null;
			}
			if (!StringUtils.hasText(sentinel.getMaster())) {
				throw new IllegalStateException(
						"spring.data.redis.sentinel.master must name the Sentinel's master when sentinel is set");
			}
			List<Node> nodes = nodes("spring.data.redis.sentinel.nodes", sentinel.getNodes());
			int database = getStandalone().getDatabase();
			return new Sentinel() {

				@Override
				public int getDatabase() {
					return database;
				}

				@Override
				public String getMaster() {
					return sentinel.getMaster();
				}

				@Override
				public List<Node> getNodes() {
					return nodes;
				}

				@Override
				public @Nullable String getUsername() {
					return sentinel.getUsername();
				}

				@Override
				public @Nullable String getPassword() {
					return sentinel.getPassword();
				}

			};
		}

		@Override
		public @Nullable Cluster getCluster() {
			DataRedisProperties.Cluster cluster = this.properties.getCluster();
			if (cluster == null) {
				return null;
			}
			List<Node> nodes = nodes("spring.data.redis.cluster.nodes", cluster.getNodes());
			return () -> nodes;
		}

		@Override
		public @Nullable MasterReplica getMasterReplica() {
			DataRedisProperties.Masterreplica masterReplica = this.properties.getMasterreplica();
			if (masterReplica == null) {
				return null;
			}
			List<Node> nodes = nodes("spring.data.redis.masterreplica.nodes", masterReplica.getNodes());
			return () -> nodes;
		}

		private static @Nullable URI url(@Nullable String url) {
			if (!StringUtils.hasText(url)) {
				return null;
			}
			try {
				URI uri = new URI(url.trim());
				boolean redis = "redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme());
				if (!redis || uri.getHost() == null) {
					throw new IllegalStateException(invalidUrl(url));
				}
				urlDatabase(uri);
				return uri;
			}
			catch (URISyntaxException ex) {
				throw new IllegalStateException(invalidUrl(url), ex);
			}
		}

		private static String invalidUrl(String url) {
			return "spring.data.redis.url must be redis://[[username]:password@]host[:port][/database] (rediss:// "
					+ "for TLS) but was '" + url + "'";
		}

		private static int urlDatabase(URI url) {
			String path = url.getPath();
			String database = (path != null && path.length() > 1) ? path.substring(1) : "";
			if (database.isEmpty()) {
				return 0;
			}
			try {
				return Integer.parseInt(database);
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException("spring.data.redis.url names the database '" + database
						+ "', which is not a number: " + invalidUrl(url.toString()), ex);
			}
		}

		/**
		 * A URL's user information, as Boot reads it: {@code user:password}, or a password alone.
		 */
		private static @Nullable String credential(URI url, boolean username) {
			String userInfo = url.getUserInfo();
			if (userInfo == null) {
				return null;
			}
			int colon = userInfo.indexOf(':');
			if (colon == -1) {
				return username ? null : userInfo;
			}
			return username ? userInfo.substring(0, colon) : userInfo.substring(colon + 1);
		}

		private static List<Node> nodes(String property, @Nullable List<String> nodes) {
			if (nodes == null) {
				return List.of();
			}
			return nodes.stream().map((node) -> node(property, node)).toList();
		}

		private static Node node(String property, String node) {
			int colon = node.lastIndexOf(':');
			try {
				if (colon > 0) {
					return new Node(node.substring(0, colon).trim(), Integer.parseInt(node.substring(colon + 1).trim()));
				}
			}
			catch (NumberFormatException ex) {
				// Falls through to the message naming the property.
			}
			throw new IllegalStateException(property + " must list host:port entries but has '" + node + "'");
		}

	}

}
