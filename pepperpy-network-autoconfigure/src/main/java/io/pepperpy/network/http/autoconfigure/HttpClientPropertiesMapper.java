package io.pepperpy.network.http.autoconfigure;

import io.pepperpy.network.InvalidSettingException;
import io.pepperpy.network.autoconfigure.CircuitBreakerProperties;
import io.pepperpy.network.autoconfigure.ClientPropertiesValidation;
import io.pepperpy.network.http.ConnectionPool;
import io.pepperpy.network.http.HttpConfig;
import io.pepperpy.network.limit.RateLimitSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

/**
 * Maps {@link PepperpyHttpClientProperties} to an {@link HttpConfig}, and checks them by doing so: the
 * configuration's groups check every value, and {@link ClientPropertiesValidation} turns each refusal into an error
 * on the property it names. Interceptors and the retry predicate are beans, added by the auto-configuration.
 */
final class HttpClientPropertiesMapper {

	private HttpClientPropertiesMapper() {
	}

	/**
	 * Map properties to a client configuration.
	 * @param properties the properties
	 * @param name the client's name
	 * @return the configuration's builder, ready for interceptors
	 */
	static HttpConfig.Builder map(PepperpyHttpClientProperties properties, String name) {
		HttpConfig.Builder builder = HttpConfig.builder().name(name);
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getBaseUrl).to(builder::baseUrl);
		map.from(properties::getHeaders).to(builder::headers);
		map.from(properties::getTimeout).always().to(builder::timeout);
		map.from(properties::getConnectTimeout).always().to(builder::connectTimeout);
		map.from(properties::getDeadline).to(builder::deadline);
		map.from(properties::getRetries).to(builder::retries);
		map.from(properties::getRetryDelay).always().to(builder::retryDelay);
		map.from(properties::getRetryBackoffMultiplier).to(builder::retryBackoffMultiplier);
		map.from(properties::getRetryMaxDelay).always().to(builder::retryMaxDelay);
		map.from(properties::getRetryJitter).always().to(builder::retryJitter);
		map.from(properties::getRetryOnStatus).to(builder::retryOnStatus);
		map.from(properties::isRetryNonIdempotent).to(builder::retryNonIdempotent);
		map.from(properties::getRetryAfterMax).always().to(builder::retryAfterMax);
		map.from(properties::getRetryBudgetPercent).to(builder::retryBudgetPercent);
		map.from(properties::getRetryBudgetMinPerSecond).to(builder::retryBudgetMinPerSecond);
		map.from(properties::getCircuitBreaker).as(CircuitBreakerProperties::toSettings).to(builder::circuitBreaker);
		map.from(properties::getRateLimit).as(HttpClientPropertiesMapper::rateLimit).to(builder::rateLimit);
		map.from(properties::getMaxRateLimit).to(builder::maxRateLimit);
		map.from(properties::getRateLimitTimeout).to(builder::rateLimitTimeout);
		map.from(properties::isFollowRedirects).to(builder::followRedirects);
		map.from(properties::getMaxRedirects).to(builder::maxRedirects);
		map.from(properties::isVerifySsl).to(builder::verifySsl);
		map.from(properties::getProxy).to(builder::proxy);
		map.from(properties::getNonProxyHosts).to(builder::nonProxyHosts);
		map.from(properties::isHttp2).to(builder::http2);
		map.from(properties::getPool).as(HttpClientPropertiesMapper::pool).to(builder::pool);
		map.from(properties::getShutdownGracePeriod).always().to(builder::shutdownGracePeriod);
		map.from(properties::getResponseFormat).always().to(builder::responseFormat);
		map.from(properties::isRaiseForStatus).to(builder::raiseForStatus);
		map.from(properties::getMaxInMemorySize)
			.always()
			.as(HttpClientPropertiesMapper::maxInMemorySize)
			.to(builder::maxInMemorySize);
		map.from(properties::isMetricsEnabled).to(builder::metricsEnabled);
		map.from(properties::isMetricsPerAttempt).to(builder::metricsPerAttempt);
		map.from(properties::isObservationEnabled).to(builder::observationEnabled);
		map.from(properties::getRedactHeaders).to(builder::redactHeaders);
		map.from(properties::getRedactQueryParams).to(builder::redactQueryParams);
		return builder;
	}

	/**
	 * Check a client's properties: every value its configuration checks, and the TLS settings the properties add.
	 * @param properties the properties
	 * @param allowInsecureSsl whether {@code verify-ssl: false} is allowed
	 * @param errors where to reject invalid properties
	 */
	static void validate(PepperpyHttpClientProperties properties, boolean allowInsecureSsl, Errors errors) {
		ClientPropertiesValidation.validate(properties, (candidate) -> map(candidate, HttpConfig.DEFAULT_NAME).build(),
				errors);
		if (properties.getSslBundle() != null && !properties.isVerifySsl()) {
			errors.rejectValue("sslBundle", "conflict", new Object[] { properties.getSslBundle() },
					"ssl-bundle cannot be combined with verify-ssl: false");
		}
		if (!allowInsecureSsl && !properties.isVerifySsl()) {
			errors.rejectValue("verifySsl", "insecure", new Object[] { false },
					"verify-ssl: false is forbidden by pepperpy.network.http.allow-insecure-ssl: false");
		}
	}

	private static int maxInMemorySize(@Nullable DataSize size) {
		if (size == null || size.isNegative() || size.toBytes() > Integer.MAX_VALUE) {
			throw new InvalidSettingException("max-in-memory-size", size,
					"max-in-memory-size must be between 0 and 2GB");
		}
		return (int) size.toBytes();
	}

	private static ConnectionPool pool(PoolProperties pool) {
		return new ConnectionPool(pool.getMaxConnections(), pool.getPendingAcquireMaxCount(),
				pool.getPendingAcquireTimeout(), pool.getMaxIdleTime(), pool.getMaxLifeTime(),
				pool.getEvictionInterval());
	}

	private static RateLimitSettings rateLimit(RateLimitProperties rateLimit) {
		RateLimitProperties.Redis redis = rateLimit.getRedis();
		return new RateLimitSettings(RateLimitSettings.DEFAULTS.maxPerSecond(), RateLimitSettings.DEFAULTS.timeout(),
				rateLimit.getBackend(), redis.getKey(), redis.getExpectedInstances(), redis.getCommandTimeout());
	}

}
