package io.pepperpy.network.benchmarks;

/**
 * What a request fetches and what its body is decoded into; every arm decodes to the same target.
 */
public enum Decode {

	/**
	 * The 1 KB JSON document read as a {@link String}.
	 */
	TEXT("/json"),

	/**
	 * The 1 KB JSON document decoded into a {@code Map} with Jackson 3.
	 */
	JSON("/json"),

	/**
	 * The 64 KiB body read as a {@code byte[]}.
	 */
	BYTES("/bytes");

	private final String path;

	Decode(String path) {
		this.path = path;
	}

	/**
	 * Return the path served by nginx.
	 * @return the path
	 */
	public String path() {
		return this.path;
	}

}
