package io.pepperpy.network.internal.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import io.pepperpy.network.InvalidSettingException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * The one way the properties of an HTTP or TCP client are checked: they are mapped to the client's configuration,
 * whose creation checks every value, and each {@link InvalidSettingException} it throws becomes an error on the
 * property it names, with its value and message. Spring Boot turns the errors of the bound properties into a
 * start-up failure; {@link #failure} does the same, in the same words, for a named client made later.
 * <p>
 * Every invalid property is reported, not only the first: after an error the mapping is tried again on a copy of
 * the properties in which that property is as a new instance has it (not set, so the configuration's default
 * applies). Copies are only made once a value is invalid, so checking
 * valid properties costs one mapping.
 */
public final class ClientPropertiesValidation {

	private ClientPropertiesValidation() {
	}

	/**
	 * Check properties by mapping them to a configuration, rejecting each property whose value it refuses.
	 * @param <P> the type of the properties
	 * @param properties the properties, a JavaBean with a public no-argument constructor
	 * @param configure maps properties to a configuration and creates it
	 * @param errors where to reject the invalid properties
	 */
	public static <P> void validate(P properties, Consumer<? super P> configure, Errors errors) {
		P candidate = properties;
		Set<String> rejected = new HashSet<>();
		while (true) {
			try {
				configure.accept(candidate);
				return;
			}
			catch (InvalidSettingException ex) {
				String field = camelCase(ex.getProperty());
				BeanWrapper wrapper = new BeanWrapperImpl(candidate);
				if (!wrapper.isWritableProperty(field)) {
					errors.reject("invalid", new Object[] { ex.getValue() }, ex.getMessage());
					return;
				}
				if (!rejected.add(field)) {
					return;
				}
				errors.rejectValue(field, "invalid", new Object[] { ex.getValue() }, ex.getMessage());
				candidate = withDefault(candidate, field);
			}
		}
	}

	/**
	 * Reject {@code verify-ssl: false} when the protocol's {@code allow-insecure-ssl} is {@code false}: the one
	 * rule of both protocols' {@code allow-insecure-ssl}.
	 * @param verifySsl the client's {@code verify-ssl}, or {@code null} when not set (verified)
	 * @param allowInsecureSsl the protocol's {@code allow-insecure-ssl}
	 * @param prefix the protocol's prefix, such as {@code pepperpy.network.tcp}
	 * @param errors where to reject {@code verifySsl}
	 */
	public static void rejectInsecureSsl(@Nullable Boolean verifySsl, boolean allowInsecureSsl, String prefix,
			Errors errors) {
		if (!allowInsecureSsl && Boolean.FALSE.equals(verifySsl)) {
			errors.rejectValue("verifySsl", "insecure", new Object[] { false },
					"verify-ssl: false is forbidden by " + prefix + ".allow-insecure-ssl: false");
		}
	}

	/**
	 * Return the start-up failure of a client whose properties are invalid.
	 * @param client the client as messages name it, such as
	 * {@code HTTP client 'orders' (pepperpy.network.http.clients.orders.* over pepperpy.network.http.*)}
	 * @param prefix the prefix the client's properties are bound from, such as
	 * {@code pepperpy.network.http.clients.orders}
	 * @param errors the errors, with at least one
	 * @return the failure, listing each property with what is wrong with it
	 */
	public static IllegalStateException failure(String client, String prefix, Errors errors) {
		StringBuilder message = new StringBuilder("Invalid ").append(client).append(':');
		for (ObjectError error : errors.getAllErrors()) {
			message.append("\n - ").append(prefix);
			if (error instanceof FieldError fieldError) {
				message.append('.').append(DataObjectPropertyName.toDashedForm(fieldError.getField()));
			}
			message.append(": ").append(error.getDefaultMessage());
		}
		return new IllegalStateException(message.toString());
	}

	/**
	 * Return a copy of the properties in which one property is as in a new instance: not set.
	 */
	@SuppressWarnings("unchecked")
	private static <P> P withDefault(P properties, String field) {
		P copy = (P) BeanUtils.instantiateClass(properties.getClass());
		copy(properties, copy);
		Object defaultValue = new BeanWrapperImpl(BeanUtils.instantiateClass(properties.getClass()))
			.getPropertyValue(field);
		new BeanWrapperImpl(copy).setPropertyValue(field, defaultValue);
		return copy;
	}

	/**
	 * Copy every writable property, and into the nested groups (such as {@code pool}) that have only a getter.
	 */
	private static void copy(Object source, Object target) {
		BeanWrapper from = new BeanWrapperImpl(source);
		BeanWrapper to = new BeanWrapperImpl(target);
		for (PropertyDescriptor property : from.getPropertyDescriptors()) {
			String name = property.getName();
			if (to.isWritableProperty(name)) {
				to.setPropertyValue(name, from.getPropertyValue(name));
			}
			else if (from.isReadableProperty(name) && isGroup(property.getPropertyType(), source.getClass())) {
				Object nested = from.getPropertyValue(name);
				Object nestedTarget = to.getPropertyValue(name);
				if (nested != null && nestedTarget != null) {
					copy(nested, nestedTarget);
				}
			}
		}
	}

	private static boolean isGroup(Class<?> type, Class<?> owner) {
		return !type.isEnum() && type.getPackageName().equals(owner.getPackageName());
	}

	private static String camelCase(String property) {
		StringBuilder camel = new StringBuilder(property.length());
		boolean upper = false;
		for (char ch : property.toCharArray()) {
			if (ch == '-') {
				upper = true;
			}
			else {
				camel.append(upper ? Character.toUpperCase(ch) : ch);
				upper = false;
			}
		}
		return camel.toString();
	}

}
