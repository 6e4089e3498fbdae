package io.pepperpy.network.http;

import java.time.Duration;
import java.util.Set;

import io.pepperpy.network.InvalidSettingException;
import io.pepperpy.network.RetrySettings;
import io.pepperpy.network.internal.SettingChecks;
import org.jspecify.annotations.Nullable;

/**
 * What an HTTP client retries and how often: the retry count and delays it shares with the TCP client, plus the
 * rules only HTTP has (statuses, methods, {@code Retry-After}, the retry budget and a custom predicate). The values
 * are checked when it is created.
 *
 * @param settings retries and the delays between attempts ({@code retries}, {@code retry-delay},
 * {@code retry-backoff-multiplier}, {@code retry-max-delay}, {@code retry-jitter})
 * @param onStatus response statuses that are retried ({@code retry-on-status})
 * @param nonIdempotent whether POST and PATCH are retried like idempotent methods ({@code retry-non-idempotent})
 * @param afterMax longest {@code Retry-After} the client waits; a longer one fails the call at once
 * ({@code retry-after-max})
 * @param budgetPercent retries may add at most this percentage on top of first attempts over 10 s
 * ({@code retry-budget-percent})
 * @param budgetMinPerSecond retries per second always allowed, whatever the budget
 * ({@code retry-budget-min-per-second})
 * @param predicate custom retry rule consulted after the built-in ones, or {@code null}
 */
public record RetryRules(RetrySettings settings, Set<Integer> onStatus, boolean nonIdempotent, Duration afterMax,
		int budgetPercent, int budgetMinPerSecond, @Nullable RetryPredicate predicate) {

	/**
	 * Statuses retried by default: 408, 429, 500, 502, 503 and 504.
	 */
	public static final Set<Integer> DEFAULT_ON_STATUS = Set.of(408, 429, 500, 502, 503, 504);

	/**
	 * The defaults: 3 retries 1 s apart (fixed, at most 30 s, no jitter), the default statuses, POST and PATCH
	 * not retried, {@code Retry-After} up to 60 s, a budget of 20 % with 10 retries per second always allowed.
	 */
	public static final RetryRules DEFAULTS = new RetryRules(
			new RetrySettings(3, Duration.ofSeconds(1), 1.0, Duration.ofSeconds(30), Duration.ZERO), DEFAULT_ON_STATUS,
			false, Duration.ofSeconds(60), 20, 10, null);

	/**
	 * Check every value and make the statuses immutable.
	 * @throws io.pepperpy.network.InvalidSettingException naming the first invalid value
	 */
	public RetryRules {
		SettingChecks.notNull("retries", settings);
		onStatus = Set.copyOf((onStatus != null) ? onStatus : DEFAULT_ON_STATUS);
		for (int status : onStatus) {
			if (status < 100 || status > 599) {
				throw new InvalidSettingException("retry-on-status", onStatus,
						"retry-on-status must hold HTTP statuses (100-599) but has " + status);
			}
		}
		SettingChecks.notNegative("retry-after-max", afterMax);
		SettingChecks.check(budgetPercent >= 0, "retry-budget-percent", budgetPercent, "be 0 or more");
		SettingChecks.check(budgetMinPerSecond >= 0, "retry-budget-min-per-second", budgetMinPerSecond,
				"be 0 or more");
	}

}
