package io.pepperpy.network.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Parses a {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110).
 */
final class RetryAfter {

	private RetryAfter() {
	}

	/**
	 * Parse a header value.
	 * @param value the header value
	 * @param clock the clock an HTTP-date is compared with
	 * @return the wait (zero for a date in the past), or {@code null} when the value is not valid
	 */
	static @Nullable Duration parse(@Nullable String value, Clock clock) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String text = value.trim();
		if (text.chars().allMatch(Character::isDigit)) {
			try {
				return Duration.ofSeconds(Long.parseLong(text));
			}
			catch (NumberFormatException | ArithmeticException ex) {
				return Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L);
			}
		}
		try {
			ZonedDateTime date = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
			Duration wait = Duration.between(clock.instant(), date.toInstant());
			return wait.isNegative() ? Duration.ZERO : wait;
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
