package io.pepperpy.network.tcp.autoconfigure;

import io.pepperpy.network.autoconfigure.CircuitBreakerProperties;
import io.pepperpy.network.autoconfigure.ClientPropertiesValidation;
import io.pepperpy.network.tcp.TcpConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;

/**
 * Maps {@link TcpClientProperties} to a {@link TcpConfig}, and checks them by doing so: the configuration checks
 * every value, and {@link ClientPropertiesValidation} turns each refusal into an error on the property it names. A
 * property that is not set ({@code null}) is not mapped, so the configuration's default applies.
 */
final class TcpClientPropertiesMapper {

	private TcpClientPropertiesMapper() {
	}

	/**
	 * Map properties to a client configuration.
	 * @param properties the properties
	 * @param name the client's name
	 * @return the configuration's builder
	 */
	static TcpConfig.Builder map(TcpClientProperties properties, String name) {
		TcpConfig.Builder builder = TcpConfig.builder().name(name);
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getHost).to(builder::host);
		map.from(properties::getPort).to(builder::port);
		map.from(properties::getConnectTimeout).always().to(builder::connectTimeout);
		map.from(properties::getReadTimeout).always().to(builder::readTimeout);
		map.from(properties::getWriteTimeout).always().to(builder::writeTimeout);
		map.from(properties::getDeadline).to(builder::deadline);
		map.from(properties::isTls).to(builder::tls);
		map.from(properties::isVerifySsl).to(builder::verifySsl);
		map.from(properties::getSslBundle).to(builder::sslBundle);
		map.from(properties::getFraming).always().to(builder::framing);
		map.from(properties::getDelimiter).to(builder::delimiter);
		map.from(properties::getLengthFieldLength).to(builder::lengthFieldLength);
		map.from(properties::getMaxFrameLength)
			.always()
			.as(TcpClientPropertiesMapper::bytes)
			.to(builder::maxFrameLength);
		map.from(properties::getPoolSize).to(builder::poolSize);
		map.from(properties::getPoolIdleTime).always().to(builder::poolIdleTime);
		map.from(properties::isKeepAlive).to(builder::keepAlive);
		map.from(properties::getRetries).to(builder::retries);
		map.from(properties::getRetryDelay).always().to(builder::retryDelay);
		map.from(properties::getRetryBackoffMultiplier).to(builder::retryBackoffMultiplier);
		map.from(properties::getRetryMaxDelay).always().to(builder::retryMaxDelay);
		map.from(properties::getRetryJitter).always().to(builder::retryJitter);
		map.from(properties::isIdempotent).to(builder::idempotent);
		map.from(properties::getCircuitBreaker).as(CircuitBreakerProperties::toSettings).to(builder::circuitBreaker);
		map.from(properties::getMaxRateLimit).to(builder::maxRateLimit);
		map.from(properties::getRateLimitTimeout).to(builder::rateLimitTimeout);
		return builder;
	}

	/**
	 * Check a complete client's properties: those of a client about to be made.
	 * @param properties the properties
	 * @param name the client's name
	 * @param errors where to reject invalid properties
	 */
	static void validate(TcpClientProperties properties, String name, Errors errors) {
		ClientPropertiesValidation.validate(properties, (candidate) -> map(candidate, name).build(), errors);
	}

	/**
	 * Check properties that named clients may complete: without a host, the host and port are left unchecked,
	 * every other value is.
	 * @param properties the properties
	 * @param errors where to reject invalid properties
	 */
	static void validateInherited(TcpClientProperties properties, Errors errors) {
		ClientPropertiesValidation.validate(properties, (candidate) -> {
			TcpConfig.Builder builder = map(candidate, TcpConfig.DEFAULT_NAME);
			if (candidate.getHost() == null) {
				builder.host("localhost");
				if (candidate.getPort() == null) {
					builder.port(1);
				}
			}
			builder.build();
		}, errors);
	}

	private static int bytes(@Nullable DataSize size) {
		return (size != null) ? (int) Math.min(Integer.MAX_VALUE, size.toBytes()) : 0;
	}

}
