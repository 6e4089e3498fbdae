package io.pepperpy.network.http.autoconfigure;

import io.pepperpy.network.InvalidSettingException;
import io.pepperpy.network.autoconfigure.CircuitBreakerProperties;
import io.pepperpy.network.http.ConnectionPool;
import io.pepperpy.network.http.HttpConfig;
import io.pepperpy.network.internal.autoconfigure.ClientPropertiesValidation;
import io.pepperpy.network.limit.RateLimitSettings;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

import static java.util.Objects.requireNonNullElse;

/**
 * Maps {@link PepperpyHttpClientProperties} to an {@link HttpConfig}, and checks them by doing so: the
 * configuration's groups check every value, and {@link ClientPropertiesValidation} turns each refusal into an error
 * on the property it names. A property that is not set ({@code null}) is not mapped, so the value under it
 * applies: the builder's, which is the configuration records' default ({@code HttpConfig.builder()}) or what
 * {@link BootHttpClientSettings} put there. Interceptors and the retry predicate are beans, added by the
 * auto-configuration.
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
		return map(properties, HttpConfig.builder().name(name));
	}

	/**
	 * Map properties over a builder: the values that are set replace the builder's, the others are left.
	 * @param properties the properties
	 * @param builder the builder, with the values under the properties (such as Spring Boot's)
	 * @return the builder
	 */
	static HttpConfig.Builder map(PepperpyHttpClientProperties properties, HttpConfig.Builder builder) {
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getBaseUrl).to(builder::baseUrl);
		map.from(properties::getHeaders).to(builder::headers);
		map.from(properties::getTimeout).to(builder::timeout);
		map.from(properties::getConnectTimeout).to(builder::connectTimeout);
		map.from(properties::getDeadline).to(builder::deadline);
		map.from(properties::getRetries).to(builder::retries);
		map.from(properties::getRetryDelay).to(builder::retryDelay);
		map.from(properties::getRetryBackoffMultiplier).to(builder::retryBackoffMultiplier);
		map.from(properties::getRetryMaxDelay).to(builder::retryMaxDelay);
		map.from(properties::getRetryJitter).to(builder::retryJitter);
		map.from(properties::getRetryOnStatus).to(builder::retryOnStatus);
		map.from(properties::getRetryNonIdempotent).to(builder::retryNonIdempotent);
		map.from(properties::getRetryAfterMax).to(builder::retryAfterMax);
		map.from(properties::getRetryBudgetPercent).to(builder::retryBudgetPercent);
		map.from(properties::getRetryBudgetMinPerSecond).to(builder::retryBudgetMinPerSecond);
		map.from(properties::getCircuitBreaker).as(CircuitBreakerProperties::toSettings).to(builder::circuitBreaker);
		map.from(properties::getRateLimit).as(HttpClientPropertiesMapper::rateLimit).to(builder::rateLimit);
		map.from(properties::getMaxRateLimit).to(builder::maxRateLimit);
		map.from(properties::getRateLimitTimeout).to(builder::rateLimitTimeout);
		map.from(properties::getFollowRedirects).to(builder::followRedirects);
		map.from(properties::getMaxRedirects).to(builder::maxRedirects);
		map.from(properties::getVerifySsl).to(builder::verifySsl);
		map.from(properties::getProxy).to(builder::proxy);
		map.from(properties::getNonProxyHosts).to(builder::nonProxyHosts);
		map.from(properties::getHttp2).to(builder::http2);
		map.from(properties::getPool).as(HttpClientPropertiesMapper::pool).to(builder::pool);
		map.from(properties::getShutdownGracePeriod).to(builder::shutdownGracePeriod);
		map.from(properties::getResponseFormat).to(builder::responseFormat);
		map.from(properties::getRaiseForStatus).to(builder::raiseForStatus);
		map.from(properties::getMaxInMemorySize)
			.as(HttpClientPropertiesMapper::maxInMemorySize)
			.to(builder::maxInMemorySize);
		map.from(properties::getMetricsEnabled).to(builder::metricsEnabled);
		map.from(properties::getMetricsPerAttempt).to(builder::metricsPerAttempt);
		map.from(properties::getObservationEnabled).to(builder::observationEnabled);
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
		boolean insecure = Boolean.FALSE.equals(properties.getVerifySsl());
		if (properties.getSslBundle() != null && insecure) {
			errors.rejectValue("sslBundle", "conflict", new Object[] { properties.getSslBundle() },
					"ssl-bundle cannot be combined with verify-ssl: false");
		}
		ClientPropertiesValidation.rejectInsecureSsl(properties.getVerifySsl(), allowInsecureSsl,
				PepperpyHttpProperties.PREFIX, errors);
	}

	private static int maxInMemorySize(DataSize size) {
		if (size.isNegative() || size.toBytes() > Integer.MAX_VALUE) {
			throw new InvalidSettingException("max-in-memory-size", size,
					"max-in-memory-size must be between 0 and 2GB");
		}
		return (int) size.toBytes();
	}

	private static ConnectionPool pool(PoolProperties pool) {
		ConnectionPool defaults = ConnectionPool.DEFAULTS;
		return new ConnectionPool(requireNonNullElse(pool.getMaxConnections(), defaults.maxConnections()),
				requireNonNullElse(pool.getPendingAcquireMaxCount(), defaults.pendingAcquireMaxCount()),
				requireNonNullElse(pool.getPendingAcquireTimeout(), defaults.pendingAcquireTimeout()),
				requireNonNullElse(pool.getMaxIdleTime(), defaults.maxIdleTime()),
				requireNonNullElse(pool.getMaxLifeTime(), defaults.maxLifeTime()),
				requireNonNullElse(pool.getEvictionInterval(), defaults.evictionInterval()));
	}

	private static RateLimitSettings rateLimit(RateLimitProperties rateLimit) {
		RateLimitSettings defaults = RateLimitSettings.DEFAULTS;
		RateLimitProperties.Redis redis = rateLimit.getRedis();
		return new RateLimitSettings(defaults.maxPerSecond(), defaults.timeout(),
				requireNonNullElse(rateLimit.getBackend(), defaults.backend()),
				(redis.getKey() != null) ? redis.getKey() : defaults.key(),
				requireNonNullElse(redis.getExpectedInstances(), defaults.expectedInstances()),
				requireNonNullElse(redis.getCommandTimeout(), defaults.commandTimeout()),
				requireNonNullElse(rateLimit.getServerQuota(), defaults.serverQuota()));
	}

}
