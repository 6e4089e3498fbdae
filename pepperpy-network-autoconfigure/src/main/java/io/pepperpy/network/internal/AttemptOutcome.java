package io.pepperpy.network.internal;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.circuit.CircuitGuard;

/**
 * What a protocol tells the {@link GuardedAttempt} about its attempts: from when an attempt is timed, how one
 * that ended with an answer counts, and what a failure means. HTTP's call state is its own strategy (an attempt
 * that ended with a response counts by its status, and is timed from when it started sending), so guarding an
 * attempt allocates nothing for it; TCP has one per client and operation (a reply, or a connection, is a success,
 * timed from when the attempt was admitted).
 */
public interface AttemptOutcome {

	/**
	 * The circuit admitted an attempt, which is about to be subscribed to.
	 */
	default void admitted() {
	}

	/**
	 * Return when the attempt started, on {@link System#nanoTime()}, for its duration.
	 * @param admittedNanos when it was admitted
	 * @return the start, or {@code 0} when it never started (its duration is then 0)
	 */
	default long startNanos(long admittedNanos) {
		return admittedNanos;
	}

	/**
	 * Record an admitted attempt that ended with an answer: a value, or completion without one.
	 * @param guard the circuit
	 * @param nanos how long the attempt took
	 */
	void answered(CircuitGuard guard, long nanos);

	/**
	 * Return an admitted attempt's failure as {@link CircuitGuard#onOutcome} judges it.
	 * @param error what the attempt failed with
	 * @return the failure, translated to a {@code NetworkException} when the protocol's attempts fail untranslated
	 */
	default Throwable failure(Throwable error) {
		return error;
	}

}
