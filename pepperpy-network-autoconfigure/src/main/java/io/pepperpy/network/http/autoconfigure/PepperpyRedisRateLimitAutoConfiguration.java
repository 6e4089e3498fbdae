package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
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
 * {@code spring.data.redis.*} properties (url, host, port, username, password, database, ssl.enabled, timeout)
 * point.
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
		if (ClassUtils.isPresent(CONNECTION_DETAILS, getClass().getClassLoader())) {
			Object details = beanFactory
				.getBeanProvider(ClassUtils.resolveClassName(CONNECTION_DETAILS, getClass().getClassLoader()))
				.getIfAvailable();
			uri = RedisConnectionDetailsUri.of(details);
		}
		return RedisRateLimitConnection.connect((uri != null) ? uri : redisUri(environment),
				environment.getProperty("spring.data.redis.timeout", Duration.class, Duration.ofSeconds(1)));
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
