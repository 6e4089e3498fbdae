package io.pepperpy.network.http;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.SettingChecks;

/**
 * How an HTTP client reads responses.
 *
 * @param format how {@code retrieve()} decodes bodies by default ({@code response-format})
 * @param raiseForStatus whether a non-2xx status fails the call with a {@link NetworkException}
 * ({@code raise-for-status})
 * @param maxInMemorySize largest body, in bytes, that {@code retrieve()} and {@code exchange()} buffer
 * ({@code max-in-memory-size})
 */
public record Decoding(ResponseFormat format, boolean raiseForStatus, int maxInMemorySize) {

	/**
	 * The defaults: JSON, raise for status, 10 MB.
	 */
	public static final Decoding DEFAULTS = new Decoding(ResponseFormat.JSON, true, 10 * 1024 * 1024);

	/**
	 * Check every value.
	 * @throws io.pepperpy.network.InvalidSettingException naming the first invalid value
	 */
	public Decoding {
		SettingChecks.notNull("response-format", format);
		SettingChecks.check(maxInMemorySize >= 0, "max-in-memory-size", maxInMemorySize, "be 0 or more bytes");
	}

}
