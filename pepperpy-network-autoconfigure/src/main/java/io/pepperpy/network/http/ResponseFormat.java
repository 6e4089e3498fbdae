package io.pepperpy.network.http;

/**
 * How {@link HttpClient.RequestSpec#retrieve()} decodes a response body.
 */
public enum ResponseFormat {

	/**
	 * Parse the body as JSON into maps, lists, strings, numbers, booleans or {@code null}.
	 */
	JSON,

	/**
	 * Return the body as a {@link String}, decoded with the response's charset (UTF-8 when none is given).
	 */
	TEXT,

	/**
	 * Return the body as a {@code byte[]}.
	 */
	BYTES

}
