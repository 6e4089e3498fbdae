package io.pepperpy.network.tcp.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

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
	 * Properties checked one by one, for the default client and each named client.
	 */
	private static final String[] CHECKED = { "port", "connectTimeout", "readTimeout", "writeTimeout", "deadline",
			"framing", "delimiter", "lengthFieldLength", "maxFrameLength", "poolSize", "poolIdleTime", "retries",
			"retryDelay", "retryBackoffMultiplier", "retryMaxDelay", "retryJitter", "maxRateLimit",
			"rateLimitTimeout" };

	/**
	 * Check each property by building a configuration with it alone, so that each error names its property; the
	 * default client's host and port are checked together when a host is set. Written without lambdas: this runs
	 * at every start-up, where each lambda costs time to link.
	 */
	@Override
	public void validate(Object target, Errors errors) {
		PepperpyTcpProperties properties = (PepperpyTcpProperties) target;
		validate(properties, "", errors);
		if (StringUtils.hasText(properties.getHost())) {
			try {
				TcpConfig.builder()
					.host(properties.getHost())
					.port((properties.getPort() != null) ? properties.getPort() : 0)
					.build();
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				reject(errors, "port", properties.getPort(), ex);
			}
		}
		for (Map.Entry<String, TcpClientProperties> client : properties.clients.entrySet()) {
			validate(client.getValue(), "clients[" + client.getKey() + "].", errors);
		}
	}

	private static void validate(TcpClientProperties p, String path, Errors errors) {
		for (String field : CHECKED) {
			try {
				withOnly(p, field, TcpConfig.builder().host("localhost").port(1)).build();
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				reject(errors, path + field, shown(p, field), ex);
			}
		}
	}

	/**
	 * Set one property on a builder of defaults.
	 */
	private static TcpConfig.Builder withOnly(TcpClientProperties p, String field, TcpConfig.Builder b) {
		return switch (field) {
			case "port" -> b.port((p.getPort() != null) ? p.getPort() : 1);
			case "connectTimeout" -> b.connectTimeout(p.getConnectTimeout());
			case "readTimeout" -> b.readTimeout(p.getReadTimeout());
			case "writeTimeout" -> b.writeTimeout(p.getWriteTimeout());
			case "deadline" -> b.deadline(p.getDeadline());
			case "framing" -> b.framing(p.getFraming());
			case "delimiter" -> b.delimiter((p.getDelimiter() != null) ? p.getDelimiter() : "\n");
			case "lengthFieldLength" -> b.lengthFieldLength(p.getLengthFieldLength());
			case "maxFrameLength" -> b.maxFrameLength(
					(p.getMaxFrameLength() != null) ? (int) Math.min(Integer.MAX_VALUE, p.getMaxFrameLength().toBytes()) : 0);
			case "poolSize" -> b.poolSize(p.getPoolSize());
			case "poolIdleTime" -> b.poolIdleTime(p.getPoolIdleTime());
			case "retries" -> b.retries(p.getRetries());
			case "retryDelay" -> b.retryDelay(p.getRetryDelay());
			case "retryBackoffMultiplier" -> b.retryBackoffMultiplier(p.getRetryBackoffMultiplier());
			case "retryMaxDelay" -> b.retryMaxDelay(p.getRetryMaxDelay());
			case "retryJitter" -> b.retryJitter(p.getRetryJitter());
			case "maxRateLimit" -> b.maxRateLimit(p.getMaxRateLimit());
			case "rateLimitTimeout" -> b.rateLimitTimeout(p.getRateLimitTimeout());
			default -> throw new IllegalStateException("not a checked property: " + field);
		};
	}

	/**
	 * Return a property's value as an error message shows it.
	 */
	private static @Nullable Object shown(TcpClientProperties p, String field) {
		return switch (field) {
			case "port" -> p.getPort();
			case "connectTimeout" -> p.getConnectTimeout();
			case "readTimeout" -> p.getReadTimeout();
			case "writeTimeout" -> p.getWriteTimeout();
			case "deadline" -> p.getDeadline();
			case "framing" -> p.getFraming();
			case "delimiter" -> p.getDelimiter();
			case "lengthFieldLength" -> p.getLengthFieldLength();
			case "maxFrameLength" -> p.getMaxFrameLength();
			case "poolSize" -> p.getPoolSize();
			case "poolIdleTime" -> p.getPoolIdleTime();
			case "retries" -> p.getRetries();
			case "retryDelay" -> p.getRetryDelay();
			case "retryBackoffMultiplier" -> p.getRetryBackoffMultiplier();
			case "retryMaxDelay" -> p.getRetryMaxDelay();
			case "retryJitter" -> p.getRetryJitter();
			case "maxRateLimit" -> p.getMaxRateLimit();
			case "rateLimitTimeout" -> p.getRateLimitTimeout();
			default -> null;
		};
	}

	private static void reject(Errors errors, String field, @Nullable Object shown, RuntimeException ex) {
		String message = StringUtils.hasText(ex.getMessage()) ? ex.getMessage() : "invalid value";
		errors.rejectValue(field, "invalid", new Object[] { shown }, message);
	}

}
