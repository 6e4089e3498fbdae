package io.pepperpy.network.http;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Reads the quota a partner advertises on its responses, so that the client can pace itself instead of meeting the
 * 429 the partner announced. Three header families are read, the first present wins:
 * <ul>
 * <li>{@code RateLimit: "default";r=50;t=30} with {@code RateLimit-Policy: "default";q=100;w=60} (the IETF
 * structured fields of draft-ietf-httpapi-ratelimit-headers; with several items the tightest one);</li>
 * <li>{@code RateLimit-Limit/Remaining/Reset}, the reset in delta seconds (the draft's earlier form);</li>
 * <li>{@code X-RateLimit-Limit/Remaining/Reset}, the reset in epoch seconds (GitHub and many others), turned into
 * a delta with the response's own {@code Date}, so that the clocks of the two hosts need not agree (the local
 * clock only when the response has no {@code Date}).</li>
 * </ul>
 * A response without these headers costs three header lookups and no allocation. A value that cannot be parsed, a
 * negative one, or a reset more than a day away is ignored: a {@link Quota#malformed()} quota is returned, never
 * an exception.
 */
final class QuotaHeaders {

	/** The longest reset believed: a partner that says more is not describing a quota a caller can wait for. */
	static final long MAX_RESET_SECONDS = Duration.ofDays(1).toSeconds();

	static final String IETF = "RateLimit";

	static final String IETF_POLICY = "RateLimit-Policy";

	static final String DRAFT_REMAINING = "RateLimit-Remaining";

	static final String GITHUB_REMAINING = "X-RateLimit-Remaining";

	/**
	 * The header family a quota came from, as log lines and meters name it.
	 */
	enum Family {

		IETF("RateLimit"), DRAFT("RateLimit-Limit/Remaining/Reset"), GITHUB("X-RateLimit-Limit/Remaining/Reset");

		final String headers;

		Family(String headers) {
			this.headers = headers;
		}

	}

	/**
	 * What a response says of the partner's quota.
	 *
	 * @param family the header family read
	 * @param limit the quota of the whole window, or {@code -1} when not advertised
	 * @param remaining requests left until the reset
	 * @param resetSeconds seconds until the quota resets
	 */
	record Quota(Family family, long limit, long remaining, long resetSeconds) {

		/**
		 * Return whether the headers were present but malformed or absurd: to be ignored, and counted.
		 * @return whether they were
		 */
		boolean malformed() {
			return this.remaining < 0;
		}

	}

	private static final Quota MALFORMED_IETF = new Quota(Family.IETF, -1, -1, -1);

	private static final Quota MALFORMED_DRAFT = new Quota(Family.DRAFT, -1, -1, -1);

	private static final Quota MALFORMED_GITHUB = new Quota(Family.GITHUB, -1, -1, -1);

	private QuotaHeaders() {
	}

	/**
	 * Read a response's quota headers.
	 * @param headers the response headers
	 * @return the quota, {@code null} when the response advertises none, or a {@link Quota#malformed()} one
	 */
	static @Nullable Quota read(HttpHeaders headers) {
		String value = headers.getFirst(IETF);
		if (value != null) {
			return ietf(value, headers.getFirst(IETF_POLICY));
		}
		value = headers.getFirst(DRAFT_REMAINING);
		if (value != null) {
			return fields(Family.DRAFT, value, headers.getFirst("RateLimit-Limit"), headers.getFirst("RateLimit-Reset"),
					null);
		}
		value = headers.getFirst(GITHUB_REMAINING);
		if (value != null) {
			return fields(Family.GITHUB, value, headers.getFirst("X-RateLimit-Limit"),
					headers.getFirst("X-RateLimit-Reset"), headers);
		}
		return null;
	}

	private static Quota fields(Family family, String remainingValue, @Nullable String limitValue,
			@Nullable String resetValue, @Nullable HttpHeaders epochBase) {
		Quota malformed = (family == Family.GITHUB) ? MALFORMED_GITHUB : MALFORMED_DRAFT;
		long remaining = number(remainingValue);
		long reset = (resetValue != null) ? number(resetValue) : -1;
		if (remaining < 0 || reset < 0) {
			return malformed;
		}
		if (epochBase != null) {
			long date;
			try {
				date = epochBase.getDate();
			}
			catch (IllegalArgumentException ex) {
				return malformed;
			}
			if (date < 0) {
				// No Date (a server without a clock, RFC 9110): the local clock is all there is.
				date = System.currentTimeMillis();
			}
			reset = reset - date / 1000;
			if (reset < 0) {
				return malformed;
			}
		}
		if (reset > MAX_RESET_SECONDS) {
			return malformed;
		}
		long limit = (limitValue != null) ? number(limitValue) : -1;
		return new Quota(family, limit, remaining, reset);
	}

	/**
	 * Read {@code RateLimit} (a list of items with {@code r} and {@code t}) and, for the limit and a missing
	 * {@code t}, {@code RateLimit-Policy} (items with {@code q} and {@code w}), keeping the tightest item: the one
	 * with the longest time per request left.
	 */
	private static Quota ietf(String value, @Nullable String policyValue) {
		long bestRemaining = -1;
		long bestReset = -1;
		String bestName = null;
		for (String item : value.split(",")) {
			String name = itemName(item);
			long remaining = parameter(item, "r");
			long reset = parameter(item, "t");
			if (reset == -1 && policyValue != null) {
				reset = policyParameter(policyValue, name, "w");
			}
			if (name == null || remaining < 0 || reset < 0 || reset > MAX_RESET_SECONDS) {
				return MALFORMED_IETF;
			}
			if (bestRemaining < 0 || tighter(remaining, reset, bestRemaining, bestReset)) {
				bestRemaining = remaining;
				bestReset = reset;
				bestName = name;
			}
		}
		if (bestRemaining < 0) {
			return MALFORMED_IETF;
		}
		long limit = (policyValue != null) ? policyParameter(policyValue, bestName, "q") : -1;
		return new Quota(Family.IETF, Math.max(-1, limit), bestRemaining, bestReset);
	}

	private static boolean tighter(long remaining, long reset, long bestRemaining, long bestReset) {
		if (remaining == 0 || bestRemaining == 0) {
			return remaining == 0 && (bestRemaining != 0 || reset > bestReset);
		}
		// reset / remaining > bestReset / bestRemaining, without division.
		return reset * bestRemaining > bestReset * remaining;
	}

	/**
	 * Return the item's name (an sf-string or a token), or {@code null} when it has none.
	 */
	private static @Nullable String itemName(String item) {
		int end = item.indexOf(';');
		String name = ((end < 0) ? item : item.substring(0, end)).trim();
		if (name.length() >= 2 && name.charAt(0) == '"' && name.charAt(name.length() - 1) == '"') {
			name = name.substring(1, name.length() - 1);
		}
		return name.isEmpty() || name.indexOf('"') >= 0 || name.indexOf('=') >= 0 ? null : name;
	}

	/**
	 * Return an item's integer parameter, {@code -1} when absent and {@code -2} when not a non-negative integer.
	 */
	private static long parameter(String item, String key) {
		int at = item.indexOf(';');
		while (at >= 0) {
			int next = item.indexOf(';', at + 1);
			String parameter = item.substring(at + 1, (next < 0) ? item.length() : next).trim();
			int equals = parameter.indexOf('=');
			if (equals > 0 && parameter.substring(0, equals).trim().equals(key)) {
				long number = number(parameter.substring(equals + 1));
				return (number < 0) ? -2 : number;
			}
			at = next;
		}
		return -1;
	}

	private static long policyParameter(String policy, @Nullable String name, String key) {
		for (String item : policy.split(",")) {
			String policyName = itemName(item);
			if (policyName != null && policyName.equals(name)) {
				return parameter(item, key);
			}
		}
		return -1;
	}

	/**
	 * Parse a non-negative decimal integer of at most 15 digits, {@code -1} for anything else.
	 */
	private static long number(String text) {
		String trimmed = text.trim();
		if (trimmed.isEmpty() || trimmed.length() > 15) {
			return -1;
		}
		long value = 0;
		for (int i = 0; i < trimmed.length(); i++) {
			char c = trimmed.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
