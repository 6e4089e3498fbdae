package io.pepperpy.network.internal;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.pepperpy.network.NetworkException;
import org.jspecify.annotations.Nullable;

/**
 * The arithmetic and the words of a call's deadline, shared by HTTP calls and TCP exchanges: when it passes, how
 * long a wait may last before it, whether the next attempt would start after it, and the failure of a call that
 * outlived it.
 * <p>
 * Static functions over a {@code long} on {@link System#nanoTime()}, rather than an object per call: the state of
 * a call keeps the number in a field, so a call without a deadline costs nothing more than a comparison.
 */
public final class Deadline {

	/** The deadline of a call without one: never. */
	public static final long NONE = Long.MAX_VALUE;

	private Deadline() {
	}

	/**
	 * Return when a call's deadline passes.
	 * @param startNanos when the call started, on {@link System#nanoTime()}
	 * @param deadline the call's deadline, or {@code null} for none
	 * @return the instant on {@link System#nanoTime()}, or {@link #NONE}
	 */
	public static long at(long startNanos, @Nullable Duration deadline) {
		return (deadline != null) ? startNanos + deadline.toNanos() : NONE;
	}

	/**
	 * Return how long is left before the deadline, or {@code limit} when that is shorter (or there is none).
	 * @param deadlineNanos when the deadline passes, or {@link #NONE}
	 * @param limit the longest wait the caller accepts anyway
	 * @param nowNanos now, on {@link System#nanoTime()}
	 * @return the wait, never negative
	 */
	public static Duration remaining(long deadlineNanos, Duration limit, long nowNanos) {
		if (deadlineNanos == NONE) {
			return limit;
		}
		Duration remaining = Duration.ofNanos(Math.max(0, deadlineNanos - nowNanos));
		return (remaining.compareTo(limit) < 0) ? remaining : limit;
	}

	/**
	 * Return why the next attempt, after {@code delayMillis}, is not made because it would start after the
	 * deadline, or {@code null} when it would start before (or there is no deadline).
	 * @param deadlineNanos when the deadline passes, or {@link #NONE}
	 * @param deadline the call's deadline, for the words
	 * @param delayMillis the delay before the next attempt
	 * @param nowNanos now, on {@link System#nanoTime()}
	 * @return the refusal, for {@link NetworkException#withDetail}, or {@code null}
	 */
	public static @Nullable String refuseNextAttempt(long deadlineNanos, @Nullable Duration deadline,
			long delayMillis, long nowNanos) {
		if (deadlineNanos == NONE || deadline == null || nowNanos + delayMillis * 1_000_000 < deadlineNanos) {
			return null;
		}
		return "the next attempt, in " + delayMillis + " ms, would start after the deadline of " + deadline.toMillis()
				+ " ms";
	}

	/**
	 * Return the failure of a call that did not complete within its deadline.
	 * @param method the HTTP method or TCP operation
	 * @param target the URL (as it may be shown) or address
	 * @param deadline the call's deadline
	 * @param attempts how many attempts started
	 * @return a {@link NetworkException.Kind#TIMEOUT} failure
	 */
	public static NetworkException exceeded(String method, String target, Duration deadline, int attempts) {
		return NetworkException.of(NetworkException.Kind.TIMEOUT,
				method + " " + target + " did not complete within its deadline of " + deadline.toMillis() + " ms ("
						+ attempts + " attempt(s))",
				method, target, new TimeoutException("deadline " + deadline));
	}

}
