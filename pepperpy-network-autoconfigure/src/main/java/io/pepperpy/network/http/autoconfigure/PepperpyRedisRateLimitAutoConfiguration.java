package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the Redis connection behind {@code pepperpy.network.http.rate-limit.backend: redis}:
 * active only when that backend is configured and Lettuce is on the class path. It opens its own connection to
 * where Boot's {@code DataRedisConnectionDetails} point (so {@code @ServiceConnection}, Docker Compose and Sentinel
 * reach it) when the application uses Spring Boot's Redis support, and otherwise to where the
 * {@code spring.data.redis.*} properties (url, host, port, username, password, database, ssl.enabled,
 * ssl.bundle, timeout) point. An SSL bundle's trust and key material are used, as Boot's own connection does.
 */
@AutoConfiguration(before = PepperpyHttpClientAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(RedisClient.class)
@Conditional(OnRedisRateLimitBackendCondition.class)
public final class PepperpyRedisRateLimitAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisRateLimitConnection pepperpyRedisRateLimitConnection(Environment environment,
			ListableBeanFactory beanFactory) {
		RedisURI uri = null;
		SslBundle sslBundle = null;
		if (ClassUtils.isPresent(CONNECTION_DETAILS, getClass().getClassLoader())) {
			Object details = beanFactory
				.getBeanProvider(ClassUtils.resolveClassName(CONNECTION_DETAILS, getClass().getClassLoader()))
				.getIfAvailable();
			uri = RedisConnectionDetailsUri.of(details);
			sslBundle = RedisConnectionDetailsUri.sslBundle(details);
		}
		if (uri == null) {
			uri = redisUri(environment);
			sslBundle = sslBundle(environment, beanFactory);
		}
		return RedisRateLimitConnection.connect(uri,
				environment.getProperty("spring.data.redis.timeout", Duration.class, Duration.ofSeconds(1)), sslBundle);
	}

	/**
	 * The bundle {@code spring.data.redis.ssl.bundle} names, from Boot's {@link SslBundles}, or {@code null}.
	 */
	private static @Nullable SslBundle sslBundle(Environment environment, ListableBeanFactory beanFactory) {
		String name = environment.getProperty("spring.data.redis.ssl.bundle");
		if (!StringUtils.hasText(name)) {
			return null;
		}
		SslBundles bundles = beanFactory.getBeanProvider(SslBundles.class).getIfAvailable();
		if (bundles == null) {
			throw new IllegalStateException("spring.data.redis.ssl.bundle names the SSL bundle '" + name
					+ "', but the application has no SslBundles (Spring Boot's SslAutoConfiguration): define it under "
					+ "spring.ssl.bundle.*");
		}
		return bundles.getBundle(name.trim());
	}

	private static final String CONNECTION_DETAILS = "org.springframework.boot.data.redis.autoconfigure."
			+ "DataRedisConnectionDetails";

	static RedisURI redisUri(Environment environment) {
		String url = environment.getProperty("spring.data.redis.url");
		RedisURI uri = StringUtils.hasText(url) ? RedisURI.create(url)
				: RedisURI.create(environment.getProperty("spring.data.redis.host", "localhost"),
						environment.getProperty("spring.data.redis.port", Integer.class, 6379));
		String username = environment.getProperty("spring.data.redis.username");
		String password = environment.getProperty("spring.data.redis.password");
		if (StringUtils.hasText(password)) {
			if (StringUtils.hasText(username)) {
				uri.setUsername(username);
			}
			uri.setPassword(password.toCharArray());
		}
		Integer database = environment.getProperty("spring.data.redis.database", Integer.class);
		if (database != null && !StringUtils.hasText(url)) {
			uri.setDatabase(database);
		}
		if (environment.getProperty("spring.data.redis.ssl.enabled", Boolean.class, false)) {
			uri.setSsl(true);
		}
		return uri;
	}

}
