package io.pepperpy.network;

import java.io.Serial;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a client's configuration is created with an invalid value. Besides the message, which names the
 * setting, the value and what it must be, it carries the setting's property name and the value, so that the
 * Spring Boot auto-configuration can report the property it was bound from.
 */
public class InvalidSettingException extends IllegalArgumentException {

	@Serial
	private static final long serialVersionUID = 1L;

	/**
	 * Shown instead of a value that may hold a secret, such as a header or a proxy's credentials.
	 */
	public static final String NOT_SHOWN = "(not shown)";

	private final String property;

	private final transient @Nullable Object value;

	/**
	 * Create a new instance.
	 * @param property the setting's property name, relative to the client, such as {@code read-timeout} or
	 * {@code pool.max-connections}
	 * @param value the invalid value, or {@link #NOT_SHOWN}
	 * @param message what is wrong, naming the property and the value
	 */
	public InvalidSettingException(String property, @Nullable Object value, String message) {
		this(property, value, message, null);
	}

	/**
	 * Create a new instance.
	 * @param property the setting's property name, relative to the client
	 * @param value the invalid value, or {@link #NOT_SHOWN}
	 * @param message what is wrong, naming the property and the value
	 * @param cause the failure that found the value invalid, or {@code null}
	 */
	public InvalidSettingException(String property, @Nullable Object value, String message,
			@Nullable Throwable cause) {
		super(message, cause);
		this.property = property;
		this.value = value;
	}

	/**
	 * Return the setting's property name, relative to the client.
	 * @return the property name, such as {@code read-timeout}
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the invalid value.
	 * @return the value, or {@link #NOT_SHOWN} for a value that may hold a secret
	 */
	public @Nullable Object getValue() {
		return this.value;
	}

}
