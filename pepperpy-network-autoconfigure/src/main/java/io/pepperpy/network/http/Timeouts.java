package io.pepperpy.network.http;

import java.time.Duration;

import io.pepperpy.network.internal.SettingChecks;
import org.jspecify.annotations.Nullable;

/**
 * How long an HTTP client waits: to connect, for one attempt, and for a whole call. The values are checked when it
 * is created.
 *
 * @param connect longest time to establish a connection ({@code connect-timeout})
 * @param attempt longest time one attempt may take, from connect to the last byte of the body ({@code timeout})
 * @param deadline longest time a whole call may take, rate-limit waits, retries and backoff included, or
 * {@code null} for none ({@code deadline})
 */
public record Timeouts(Duration connect, Duration attempt, @Nullable Duration deadline) {

	/**
	 * The defaults: 10 s to connect, 30 s per attempt, no deadline.
	 */
	public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30), null);

	/**
	 * Check every value.
	 * @throws io.pepperpy.network.InvalidSettingException naming the first invalid value
	 */
	public Timeouts {
		SettingChecks.positive("connect-timeout", connect);
		SettingChecks.positive("timeout", attempt);
		if (deadline != null) {
			SettingChecks.positive("deadline", deadline);
		}
	}

}
