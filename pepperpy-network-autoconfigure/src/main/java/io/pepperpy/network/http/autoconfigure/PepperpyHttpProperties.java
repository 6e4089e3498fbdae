package io.pepperpy.network.http.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Properties bound from {@code pepperpy.network.http.*}: the default client's settings, which named clients
 * ({@code pepperpy.network.http.clients.<name>.*}) inherit and override, and settings for all clients. Durations
 * given as a bare number are seconds ({@code timeout: 30}).
 */
@ConfigurationProperties(PepperpyHttpProperties.PREFIX)
public class PepperpyHttpProperties extends PepperpyHttpClientProperties implements Validator {

	/**
	 * Prefix of the properties.
	 */
	public static final String PREFIX = "pepperpy.network.http";

	/**
	 * Named clients, each with every property of the default client; unset values inherit from
	 * pepperpy.network.http.*.
	 */
	private Map<String, PepperpyHttpClientProperties> clients = new LinkedHashMap<>();

	/**
	 * Whether verify-ssl: false is allowed at all, for any client; false makes it a start-up error.
	 */
	private boolean allowInsecureSsl = true;

	public Map<String, PepperpyHttpClientProperties> getClients() {
		return this.clients;
	}

	public void setClients(Map<String, PepperpyHttpClientProperties> clients) {
		this.clients = clients;
	}

	public boolean isAllowInsecureSsl() {
		return this.allowInsecureSsl;
	}

	public void setAllowInsecureSsl(boolean allowInsecureSsl) {
		this.allowInsecureSsl = allowInsecureSsl;
	}

	@Override
	public boolean supports(Class<?> type) {
		return PepperpyHttpProperties.class.isAssignableFrom(type);
	}

	/**
	 * Check the default client's properties as {@link HttpClientPropertiesMapper} maps them; Spring Boot turns the
	 * errors into a start-up failure. Named clients are checked when they are created, over these.
	 */
	@Override
	public void validate(Object target, Errors errors) {
		HttpClientPropertiesMapper.validate((PepperpyHttpProperties) target, this.allowInsecureSsl, errors);
	}

}
