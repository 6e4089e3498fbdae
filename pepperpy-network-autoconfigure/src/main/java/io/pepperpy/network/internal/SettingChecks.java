package io.pepperpy.network.internal;

import java.time.Duration;

import io.pepperpy.network.InvalidSettingException;
import org.jspecify.annotations.Nullable;

/**
 * The checks the configuration records of the HTTP and TCP clients make of their values, written once so that
 * each failure is an {@link InvalidSettingException} that names the property and the value in the same words.
 * A message is only built when a check fails: configurations are also made per call (a retry override).
 */
public final class SettingChecks {

	private SettingChecks() {
	}

	/**
	 * Check a condition on a value.
	 * @param valid whether the value is valid
	 * @param property the property name
	 * @param value the value
	 * @param requirement what the value must be, as in {@code be 0 or more}
	 * @throws InvalidSettingException {@code <property> must <requirement> but was <value>} if not valid
	 */
	public static void check(boolean valid, String property, @Nullable Object value, String requirement) {
		if (!valid) {
			throw new InvalidSettingException(property, value,
					property + " must " + requirement + " but was " + value);
		}
	}

	/**
	 * Check that a value is set.
	 * @param <T> the value's type
	 * @param property the property name
	 * @param value the value
	 * @return the value
	 * @throws InvalidSettingException {@code <property> must not be null} if it is {@code null}
	 */
	public static <T> T notNull(String property, @Nullable T value) {
		if (value == null) {
			throw new InvalidSettingException(property, null, property + " must not be null");
		}
		return value;
	}

	/**
	 * Check that a duration is set and above zero.
	 * @param property the property name
	 * @param value the duration
	 * @throws InvalidSettingException if it is {@code null}, zero or negative
	 */
	public static void positive(String property, @Nullable Duration value) {
		notNull(property, value);
		check(!value.isNegative() && !value.isZero(), property, value, "be positive");
	}

	/**
	 * Check that a duration is set and not below zero.
	 * @param property the property name
	 * @param value the duration
	 * @throws InvalidSettingException if it is {@code null} or negative
	 */
	public static void notNegative(String property, @Nullable Duration value) {
		notNull(property, value);
		if (value.isNegative()) {
			throw new InvalidSettingException(property, value, property + " must not be negative but was " + value);
		}
	}

}
