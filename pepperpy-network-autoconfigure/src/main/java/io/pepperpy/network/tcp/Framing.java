package io.pepperpy.network.tcp;

/**
 * How a {@link TcpClient} cuts the byte stream into frames (messages).
 */
public enum Framing {

	/**
	 * Frames end with a line feed; a frame read may end with {@code \n} or {@code \r\n}, and the line ending is
	 * not part of the frame. Each frame sent gets a {@code \n}.
	 */
	LINE,

	/**
	 * Frames end with the configured delimiter, which is not part of the frame.
	 */
	DELIMITER,

	/**
	 * Each frame starts with its length as a 1, 2 or 4-byte unsigned big-endian number (the prefix is not part of
	 * the frame).
	 */
	LENGTH_PREFIXED,

	/**
	 * No framing: an exchange writes the request, half-closes the connection and reads the response until the
	 * server closes it; a stream emits bytes as they arrive.
	 */
	RAW

}
