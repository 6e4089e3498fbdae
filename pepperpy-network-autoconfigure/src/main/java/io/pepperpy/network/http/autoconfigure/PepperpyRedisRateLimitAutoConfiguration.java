package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the Redis connection behind {@code pepperpy.network.http.rate-limit.backend: redis}:
 * active only when that backend is configured and Lettuce is on the class path. It reads Boot's
 * {@code spring.data.redis.*} connection properties (url, host, port, username, password, database, ssl.enabled,
 * timeout) and opens its own connection with them.
 */
@AutoConfiguration(before = PepperpyHttpClientAutoConfiguration.class)
@ConditionalOnClass(RedisClient.class)
@Conditional(OnRedisRateLimitBackendCondition.class)
public final class PepperpyRedisRateLimitAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisRateLimitConnection pepperpyRedisRateLimitConnection(Environment environment) {
		return RedisRateLimitConnection.connect(redisUri(environment),
				environment.getProperty("spring.data.redis.timeout", Duration.class, Duration.ofSeconds(1)));
	}

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
