package io.pepperpy.network.tcp.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
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

	/**
	 * Whether verify-ssl: false is allowed at all, for any client; false makes it a start-up error.
	 */
	private boolean allowInsecureSsl = true;

	public Map<String, TcpClientProperties> getClients() {
		return this.clients;
	}

	public void setClients(Map<String, TcpClientProperties> clients) {
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
		return PepperpyTcpProperties.class.isAssignableFrom(type);
	}

	/**
	 * Check the properties of the default client and of each named client as {@link TcpClientPropertiesMapper}
	 * maps them; a client without a host may get it from the other level, so its host and port are checked when
	 * it is made. With {@code allow-insecure-ssl: false}, {@code verify-ssl: false} is an error at either level.
	 * Spring Boot turns the errors into a start-up failure.
	 */
	@Override
	public void validate(Object target, Errors errors) {
		PepperpyTcpProperties properties = (PepperpyTcpProperties) target;
		TcpClientPropertiesMapper.validateInherited(properties, this.allowInsecureSsl, errors);
		for (Map.Entry<String, TcpClientProperties> client : properties.clients.entrySet()) {
			errors.pushNestedPath("clients[" + client.getKey() + "]");
			TcpClientPropertiesMapper.validateInherited(client.getValue(), this.allowInsecureSsl, errors);
			errors.popNestedPath();
		}
	}

}
