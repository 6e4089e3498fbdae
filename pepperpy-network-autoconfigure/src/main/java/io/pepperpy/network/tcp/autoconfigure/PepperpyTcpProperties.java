package io.pepperpy.network.tcp.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.pepperpy.network.tcp.TcpConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Properties of the pepperpy TCP clients, bound from {@code pepperpy.network.tcp.*}: the default client's
 * settings, which named clients ({@code pepperpy.network.tcp.clients.<name>.*}) inherit.
 * <p>
 * The properties check themselves when bound, so an invalid value fails start-up with a message naming the
 * property and the value.
 */
@ConfigurationProperties(PepperpyTcpProperties.PREFIX)
public class PepperpyTcpProperties extends TcpClientProperties implements Validator {

	/**
	 * Prefix of the properties.
	 */
	public static final String PREFIX = "pepperpy.network.tcp";

	/**
	 * Named clients, each a TcpClient bean named '{name}TcpClient' and qualified '{name}'; unset values are
	 * inherited.
	 */
	private Map<String, TcpClientProperties> clients = new LinkedHashMap<>();

	public Map<String, TcpClientProperties> getClients() {
		return this.clients;
	}

	public void setClients(Map<String, TcpClientProperties> clients) {
		this.clients = clients;
	}

	@Override
	public boolean supports(Class<?> type) {
		return PepperpyTcpProperties.class.isAssignableFrom(type);
	}

	/**
	 * Check each property by building a configuration with it alone, so that each error names its property; the
	 * default client's host and port are checked together when a host is set.
	 */
	@Override
	public void validate(Object target, Errors errors) {
		PepperpyTcpProperties properties = (PepperpyTcpProperties) target;
		validate(properties, "", errors);
		if (StringUtils.hasText(properties.getHost())) {
			check(errors, "port", properties.getPort(), () -> TcpConfig.builder()
				.host(properties.getHost())
				.port((properties.getPort() != null) ? properties.getPort() : 0));
		}
		properties.clients.forEach((name, client) -> validate(client, "clients[" + name + "].", errors));
	}

	private static void validate(TcpClientProperties p, String path, Errors errors) {
		check(errors, path + "port", p.getPort(), (b) -> b.port((p.getPort() != null) ? p.getPort() : 1));
		check(errors, path + "connectTimeout", p.getConnectTimeout(), (b) -> b.connectTimeout(p.getConnectTimeout()));
		check(errors, path + "readTimeout", p.getReadTimeout(), (b) -> b.readTimeout(p.getReadTimeout()));
		check(errors, path + "writeTimeout", p.getWriteTimeout(), (b) -> b.writeTimeout(p.getWriteTimeout()));
		check(errors, path + "deadline", p.getDeadline(), (b) -> b.deadline(p.getDeadline()));
		check(errors, path + "framing", p.getFraming(), (b) -> b.framing(p.getFraming()));
		check(errors, path + "delimiter", p.getDelimiter(),
				(b) -> b.delimiter((p.getDelimiter() != null) ? p.getDelimiter() : "\n"));
		check(errors, path + "lengthFieldLength", p.getLengthFieldLength(),
				(b) -> b.lengthFieldLength(p.getLengthFieldLength()));
		check(errors, path + "maxFrameLength", p.getMaxFrameLength(), (b) -> b.maxFrameLength(
				(p.getMaxFrameLength() != null) ? (int) Math.min(Integer.MAX_VALUE, p.getMaxFrameLength().toBytes()) : 0));
		check(errors, path + "poolSize", p.getPoolSize(), (b) -> b.poolSize(p.getPoolSize()));
		check(errors, path + "poolIdleTime", p.getPoolIdleTime(), (b) -> b.poolIdleTime(p.getPoolIdleTime()));
		check(errors, path + "retries", p.getRetries(), (b) -> b.retries(p.getRetries()));
		check(errors, path + "retryDelay", p.getRetryDelay(), (b) -> b.retryDelay(p.getRetryDelay()));
		check(errors, path + "retryBackoffMultiplier", p.getRetryBackoffMultiplier(),
				(b) -> b.retryBackoffMultiplier(p.getRetryBackoffMultiplier()));
		check(errors, path + "retryMaxDelay", p.getRetryMaxDelay(), (b) -> b.retryMaxDelay(p.getRetryMaxDelay()));
		check(errors, path + "retryJitter", p.getRetryJitter(), (b) -> b.retryJitter(p.getRetryJitter()));
		check(errors, path + "maxRateLimit", p.getMaxRateLimit(), (b) -> b.maxRateLimit(p.getMaxRateLimit()));
		check(errors, path + "rateLimitTimeout", p.getRateLimitTimeout(),
				(b) -> b.rateLimitTimeout(p.getRateLimitTimeout()));
	}

	private static void check(Errors errors, String field, @Nullable Object shown,
			UnaryOperator<TcpConfig.Builder> setting) {
		check(errors, field, shown, () -> setting.apply(TcpConfig.builder().host("localhost").port(1)));
	}

	private static void check(Errors errors, String field, @Nullable Object shown,
			java.util.function.Supplier<TcpConfig.Builder> builder) {
		try {
			builder.get().build();
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			String message = StringUtils.hasText(ex.getMessage()) ? ex.getMessage() : "invalid value";
			errors.rejectValue(field, "invalid", new Object[] { shown }, message);
		}
	}

}
