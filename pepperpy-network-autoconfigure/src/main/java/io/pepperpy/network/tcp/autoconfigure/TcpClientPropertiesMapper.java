package io.pepperpy.network.tcp.autoconfigure;

import io.pepperpy.network.autoconfigure.CircuitBreakerProperties;
import io.pepperpy.network.internal.autoconfigure.ClientPropertiesValidation;
import io.pepperpy.network.tcp.TcpConfig;

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
		map.from(properties::getConnectTimeout).to(builder::connectTimeout);
		map.from(properties::getReadTimeout).to(builder::readTimeout);
		map.from(properties::getWriteTimeout).to(builder::writeTimeout);
		map.from(properties::getDeadline).to(builder::deadline);
		map.from(properties::getTls).to(builder::tls);
		map.from(properties::getVerifySsl).to(builder::verifySsl);
		map.from(properties::getSslBundle).to(builder::sslBundle);
		map.from(properties::getFraming).to(builder::framing);
		map.from(properties::getDelimiter).to(builder::delimiter);
		map.from(properties::getLengthFieldLength).to(builder::lengthFieldLength);
		map.from(properties::getMaxFrameLength)
			.as(TcpClientPropertiesMapper::bytes)
			.to(builder::maxFrameLength);
		map.from(properties::getPoolSize).to(builder::poolSize);
		map.from(properties::getPoolIdleTime).to(builder::poolIdleTime);
		map.from(properties::getKeepAlive).to(builder::keepAlive);
		map.from(properties::getRetries).to(builder::retries);
		map.from(properties::getRetryDelay).to(builder::retryDelay);
		map.from(properties::getRetryBackoffMultiplier).to(builder::retryBackoffMultiplier);
		map.from(properties::getRetryMaxDelay).to(builder::retryMaxDelay);
		map.from(properties::getRetryJitter).to(builder::retryJitter);
		map.from(properties::getIdempotent).to(builder::idempotent);
		map.from(properties::getCircuitBreaker).as(CircuitBreakerProperties::toSettings).to(builder::circuitBreaker);
		map.from(properties::getMaxRateLimit).to(builder::maxRateLimit);
		map.from(properties::getRateLimitTimeout).to(builder::rateLimitTimeout);
		return builder;
	}

	/**
	 * Check a complete client's properties: those of a client about to be made.
	 * @param properties the properties
	 * @param name the client's name
	 * @param allowInsecureSsl whether {@code verify-ssl: false} is allowed
	 * @param errors where to reject invalid properties
	 */
	static void validate(TcpClientProperties properties, String name, boolean allowInsecureSsl, Errors errors) {
		ClientPropertiesValidation.validate(properties, (candidate) -> map(candidate, name).build(), errors);
		ClientPropertiesValidation.rejectInsecureSsl(properties.getVerifySsl(), allowInsecureSsl,
				PepperpyTcpProperties.PREFIX, errors);
	}

	/**
	 * Check properties that named clients may complete: without a host, the host and port are left unchecked,
	 * every other value is.
	 * @param properties the properties
	 * @param allowInsecureSsl whether {@code verify-ssl: false} is allowed
	 * @param errors where to reject invalid properties
	 */
	static void validateInherited(TcpClientProperties properties, boolean allowInsecureSsl, Errors errors) {
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
		ClientPropertiesValidation.rejectInsecureSsl(properties.getVerifySsl(), allowInsecureSsl,
				PepperpyTcpProperties.PREFIX, errors);
	}

	private static int bytes(DataSize size) {
		return (int) Math.min(Integer.MAX_VALUE, size.toBytes());
	}

}
