package io.pepperpy.network.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.pepperpy.network.NetworkException;
import org.jspecify.annotations.Nullable;

/**
 * The classification of Netty and JDK transport failures that HTTP and TCP clients share: a TLS handshake that
 * failed, a connection that could not be made (refused, timed out, unknown host, no route), and any other I/O
 * failure. Each client's own translator handles what is particular to its protocol first (timeouts, decoding,
 * pool limits, frames) and hands the rest here, so both name the same failure the same way.
 */
public final class TransportErrors {

	private TransportErrors() {
	}

	/**
	 * Classify a failure to set up a connection: {@link NetworkException.Kind#TLS} or
	 * {@link NetworkException.Kind#CONNECT}.
	 * @param ex the failure as raised, searched with its causes
	 * @param shown the failure whose message is shown and kept as the cause
	 * @param what the operation and its target for the message, such as {@code GET https://host/path}
	 * @param operation the operation (HTTP method, or TCP operation)
	 * @param target the URL or address
	 * @return the exception, or {@code null} when the failure is neither
	 */
	public static @Nullable NetworkException connectionSetup(Throwable ex, Throwable shown, String what,
			String operation, String target) {
		SSLException ssl = find(ex, SSLException.class);
		if (ssl != null) {
			return NetworkException.of(NetworkException.Kind.TLS,
					what + " failed: TLS handshake failed (" + ssl.getMessage() + ")", operation, target, ssl);
		}
		if (find(ex, ConnectTimeoutException.class) != null) {
			return NetworkException.of(NetworkException.Kind.CONNECT,
					what + " failed: connect timed out (" + shown.getMessage() + ")", operation, target, shown);
		}
		if (find(ex, ConnectException.class) != null || find(ex, UnknownHostException.class) != null
				|| find(ex, NoRouteToHostException.class) != null
				|| find(ex, UnresolvedAddressException.class) != null) {
			return NetworkException.of(NetworkException.Kind.CONNECT,
					what + " failed: could not connect (" + shown.getMessage() + ")", operation, target, shown);
		}
		return null;
	}

	/**
	 * Classify what is left once the protocol's own cases are handled: {@link NetworkException.Kind#IO}.
	 * @param ex the failure as raised, searched with its causes
	 * @param shown the failure whose message is shown and kept as the cause
	 * @param what the operation and its target for the message
	 * @param operation the operation
	 * @param target the URL or address
	 * @return the exception
	 */
	public static NetworkException io(Throwable ex, Throwable shown, String what, String operation, String target) {
		if (find(ex, IOException.class) != null) {
			return NetworkException.of(NetworkException.Kind.IO, what + " failed: " + message(shown), operation,
					target, shown);
		}
		return NetworkException.of(NetworkException.Kind.IO,
				what + " failed: " + shown.getClass().getSimpleName() + ": " + shown.getMessage(), operation, target,
				shown);
	}

	/**
	 * Return the first of a failure and its causes (ten deep) that is of a type.
	 * @param <T> the type
	 * @param ex the failure
	 * @param type the type
	 * @return the match, or {@code null}
	 */
	public static <T extends Throwable> @Nullable T find(Throwable ex, Class<T> type) {
		Throwable current = ex;
		for (int depth = 0; current != null && depth < 10; depth++) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			current = current.getCause();
		}
		return null;
	}

	/**
	 * Format a duration for a message: whole seconds as {@code 5 s}, otherwise {@code 250 ms}.
	 * @param duration the duration
	 * @return the text
	 */
	public static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + " s" : millis + " ms";
	}

	private static String message(Throwable ex) {
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

}
