package io.pepperpy.network.http;

import io.pepperpy.network.internal.SettingChecks;

/**
 * Whether an HTTP client follows redirects, and how many in one attempt.
 *
 * @param follow whether 3xx responses with a {@code Location} are followed ({@code follow-redirects})
 * @param max most redirects followed in one attempt ({@code max-redirects})
 */
public record Redirects(boolean follow, int max) {

	/**
	 * The defaults: not followed; when followed, at most 5.
	 */
	public static final Redirects DEFAULTS = new Redirects(false, 5);

	/**
	 * Check every value.
	 * @throws io.pepperpy.network.InvalidSettingException if {@code max} is negative
	 */
	public Redirects {
		SettingChecks.check(max >= 0, "max-redirects", max, "be 0 or more");
	}

}
