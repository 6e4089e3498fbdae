package io.pepperpy.network.http;

/**
 * Refuses header names and values that could split a request (CR, LF, NUL) or are not HTTP tokens.
 */
final class HeaderChecks {

	private HeaderChecks() {
	}

	/**
	 * Check one header.
	 * @param name the header name
	 * @param value the header value
	 * @param where where the header comes from, for the message
	 * @throws IllegalArgumentException naming the header (never its value, which may be a secret)
	 */
	static void check(String name, String value, String where) {
		if (name == null || name.isEmpty()) {
			throw new IllegalArgumentException(where + ": header name must not be empty");
		}
		for (int i = 0; i < name.length(); i++) {
			if (!isTokenChar(name.charAt(i))) {
				throw new IllegalArgumentException(where + ": header name '" + printable(name)
						+ "' contains a character that is not allowed in a header name (index " + i + ")");
			}
		}
		if (value == null) {
			throw new IllegalArgumentException(where + ": header '" + name + "' has no value");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\r' || c == '\n' || c == '\0') {
				throw new IllegalArgumentException(where + ": value of header '" + name
						+ "' contains CR, LF or NUL (index " + i + "), which could split the request");
			}
		}
	}

	private static boolean isTokenChar(char c) {
		if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return true;
		}
		return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
	}

	private static String printable(String text) {
		return text.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
	}

}
