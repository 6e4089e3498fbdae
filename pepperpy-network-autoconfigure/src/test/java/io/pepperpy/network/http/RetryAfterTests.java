package io.pepperpy.network.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RetryAfter}.
 */
class RetryAfterTests {

	private final Clock clock = Clock.fixed(Instant.parse("2026-11-27T12:00:00Z"), ZoneOffset.UTC);

	@Test
	void parsesDelaySeconds() {
		assertThat(RetryAfter.parse("120", this.clock)).isEqualTo(Duration.ofSeconds(120));
		assertThat(RetryAfter.parse(" 0 ", this.clock)).isEqualTo(Duration.ZERO);
	}

	@Test
	void parsesHttpDate() {
		assertThat(RetryAfter.parse("Fri, 27 Nov 2026 12:01:30 GMT", this.clock)).isEqualTo(Duration.ofSeconds(90));
		assertThat(RetryAfter.parse("Fri, 27 Nov 2026 11:00:00 GMT", this.clock)).isEqualTo(Duration.ZERO);
	}

	@Test
	void parsesTheObsoleteHttpDateForms() {
		// RFC 850 and asctime, which RFC 9110 section 5.6.7 requires recipients to accept.
		assertThat(RetryAfter.parse("Friday, 27-Nov-26 12:01:30 GMT", this.clock)).isEqualTo(Duration.ofSeconds(90));
		assertThat(RetryAfter.parse("Fri Nov 27 12:01:30 2026", this.clock)).isEqualTo(Duration.ofSeconds(90));
	}

	@Test
	void hugeValuesAreReportedNotOverflowed() {
		assertThat(RetryAfter.parse("99999999999999999999999", this.clock)).isGreaterThan(Duration.ofDays(1000));
	}

	@Test
	void invalidValuesAreIgnored() {
		assertThat(RetryAfter.parse("soon", this.clock)).isNull();
		assertThat(RetryAfter.parse("-5", this.clock)).isNull();
		assertThat(RetryAfter.parse(null, this.clock)).isNull();
	}

}
