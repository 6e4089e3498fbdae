package io.pepperpy.network.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Parses a {@code Retry-After} header: delay-seconds or an HTTP-date in any of the three forms RFC 9110 requires
 * recipients to accept.
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
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, text);
		try {
			// Spring parses all three forms RFC 9110 requires: IMF-fixdate (RFC 1123), RFC 850 and asctime.
			ZonedDateTime date = headers.getFirstZonedDateTime(HttpHeaders.RETRY_AFTER);
			if (date == null) {
				return null;
			}
			Duration wait = Duration.between(clock.instant(), date.toInstant());
			return wait.isNegative() ? Duration.ZERO : wait;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
