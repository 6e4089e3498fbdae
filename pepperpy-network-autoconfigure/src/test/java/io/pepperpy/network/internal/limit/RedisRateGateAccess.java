package io.pepperpy.network.internal.limit;

/**
 * Lets tests in other packages read the package-private script of {@link RedisRateGate}, to find it in a Redis
 * node's script cache.
 */
public final class RedisRateGateAccess {

	private RedisRateGateAccess() {
	}

	public static String script() {
		return RedisRateGate.SCRIPT;
	}

}
