package io.pepperpy.network.internal.limit;

/**
 * Told what a rate limiter did, so that the client owning it can record meters: how long each permit took, each
 * refusal, and each fall-back from a shared limit to the local share. The limiters know nothing of meters or of
 * the protocol of the calls they limit.
 */
@FunctionalInterface
public interface RateLimitListener {

	/**
	 * A listener that records nothing.
	 */
	RateLimitListener NONE = (nanos) -> {
	};

	/**
	 * A permit was handed out.
	 * @param nanos how long the caller waited for it
	 */
	void waited(long nanos);

	/**
	 * A caller was refused a permit because the wait would exceed its longest wait.
	 */
	default void denied() {
	}

	/**
	 * A caller was held because the partner's quota is spent until its reset.
	 */
	default void heldForQuota() {
	}

	/**
	 * The shared limit became unreachable and the limiter fell back to its local share.
	 */
	default void fellBack() {
	}

}
