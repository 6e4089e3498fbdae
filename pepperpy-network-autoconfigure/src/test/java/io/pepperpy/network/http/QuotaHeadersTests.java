package io.pepperpy.network.http;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaHeadersTests {

	private static HttpHeaders headers(String... namesAndValues) {
		HttpHeaders headers = new HttpHeaders();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			headers.add(namesAndValues[i], namesAndValues[i + 1]);
		}
		return headers;
	}

	@Test
	void noQuotaHeadersReadAsNothing() {
		assertThat(QuotaHeaders.read(headers("Content-Type", "application/json"))).isNull();
	}

	@Test
	void ietfFieldsGiveRemainingResetAndThePolicysQuota() {
		QuotaHeaders.Quota quota = QuotaHeaders.read(
				headers("RateLimit", "\"default\";r=50;t=30", "RateLimit-Policy", "\"default\";q=100;w=60"));
		assertThat(quota).isEqualTo(new QuotaHeaders.Quota(QuotaHeaders.Family.IETF, 100, 50, 30));
	}

	@Test
	void ietfFieldsWithSeveralPoliciesKeepTheTightest() {
		QuotaHeaders.Quota quota = QuotaHeaders.read(headers("RateLimit", "\"burst\";r=9;t=1, \"day\";r=10;t=3600",
				"RateLimit-Policy", "\"burst\";q=10;w=1, \"day\";q=5000;w=86400"));
		assertThat(quota).isEqualTo(new QuotaHeaders.Quota(QuotaHeaders.Family.IETF, 5000, 10, 3600));
		assertThat(QuotaHeaders.read(headers("RateLimit", "\"a\";r=0;t=5, \"b\";r=100;t=60")).remaining()).isZero();
	}

	@Test
	void ietfFieldWithoutResetTakesThePolicysWindow() {
		QuotaHeaders.Quota quota = QuotaHeaders.read(
				headers("RateLimit", "\"default\";r=3", "RateLimit-Policy", "\"default\";q=10;w=20"));
		assertThat(quota).isEqualTo(new QuotaHeaders.Quota(QuotaHeaders.Family.IETF, 10, 3, 20));
	}

	@Test
	void draftFieldsGiveDeltaSeconds() {
		QuotaHeaders.Quota quota = QuotaHeaders.read(
				headers("RateLimit-Limit", "20", "RateLimit-Remaining", "7", "RateLimit-Reset", "2"));
		assertThat(quota).isEqualTo(new QuotaHeaders.Quota(QuotaHeaders.Family.DRAFT, 20, 7, 2));
	}

	@Test
	void githubEpochResetIsADeltaFromTheResponsesDateNotTheLocalClock() {
		// The partner's clock is an hour behind ours: only its Date header makes the epoch reset meaningful.
		long partnerNow = Instant.now().minusSeconds(3600).getEpochSecond();
		HttpHeaders headers = headers("X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "4999",
				"X-RateLimit-Reset", Long.toString(partnerNow + 42));
		headers.setDate(partnerNow * 1000);
		assertThat(QuotaHeaders.read(headers))
			.isEqualTo(new QuotaHeaders.Quota(QuotaHeaders.Family.GITHUB, 5000, 4999, 42));
	}

	@Test
	void malformedValuesAreReportedNotThrown() {
		assertThat(QuotaHeaders.read(headers("RateLimit", "garbage"))).matches(QuotaHeaders.Quota::malformed);
		assertThat(QuotaHeaders.read(headers("RateLimit", "\"default\";r=x;t=3"))).matches(QuotaHeaders.Quota::malformed);
		assertThat(QuotaHeaders.read(headers("RateLimit", "\"default\";r=-1;t=3")))
			.matches(QuotaHeaders.Quota::malformed);
		assertThat(QuotaHeaders.read(headers("RateLimit", "\"default\";r=4"))).matches(QuotaHeaders.Quota::malformed);
		assertThat(QuotaHeaders.read(headers("RateLimit-Remaining", "ten", "RateLimit-Reset", "2")))
			.matches(QuotaHeaders.Quota::malformed);
		assertThat(QuotaHeaders.read(headers("RateLimit-Remaining", "10"))).matches(QuotaHeaders.Quota::malformed);
		assertThat(QuotaHeaders.read(headers("RateLimit-Remaining", "99999999999999999999", "RateLimit-Reset", "1")))
			.matches(QuotaHeaders.Quota::malformed);
		HttpHeaders badDate = headers("X-RateLimit-Remaining", "1", "X-RateLimit-Reset", "1700000000", "Date",
				"yesterday");
		assertThat(QuotaHeaders.read(badDate)).matches(QuotaHeaders.Quota::malformed);
	}

	@Test
	void absurdResetsAreIgnored() {
		assertThat(QuotaHeaders.read(headers("RateLimit-Remaining", "5", "RateLimit-Reset", "86401")))
			.matches(QuotaHeaders.Quota::malformed);
		assertThat(QuotaHeaders.read(headers("RateLimit", "\"default\";r=5;t=999999")))
			.matches(QuotaHeaders.Quota::malformed);
		long now = Instant.now().getEpochSecond();
		HttpHeaders past = headers("X-RateLimit-Remaining", "5", "X-RateLimit-Reset", Long.toString(now - 10));
		past.setDate(now * 1000);
		assertThat(QuotaHeaders.read(past)).matches(QuotaHeaders.Quota::malformed);
		assertThat(QuotaHeaders.read(headers("RateLimit-Remaining", "5", "RateLimit-Reset", "86400")).resetSeconds())
			.isEqualTo(86400);
	}

}
