package io.pepperpy.network.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.core.io.buffer.DataBufferLimitException;

/**
 * Turns whatever Reactor Netty, WebClient or resilience4j raised into a {@link NetworkException} that names the
 * method and URL and keeps the original error as its cause.
 */
final class ErrorTranslator {

	private ErrorTranslator() {
	}

	static NetworkException translate(Throwable ex, String method, String url, Duration timeout) {
		if (ex instanceof NetworkException network) {
			return network;
		}
		String request = method + " " + url;
		Throwable cause = unwrap(ex);
		if (cause instanceof TimeoutException) {
			return NetworkException.of(NetworkException.Kind.TIMEOUT,
					request + " timed out: no complete response within " + format(timeout)
							+ " (timeout, from connect to the last byte of the body)",
					method, url, cause);
		}
		if (cause instanceof DataBufferLimitException) {
			return NetworkException.of(NetworkException.Kind.BODY_TOO_LARGE,
					"Response of " + request + " is larger than max-in-memory-size (" + cause.getMessage()
							+ "); raise max-in-memory-size, or read it with stream() or download() so it is never held in memory",
					method, url, cause);
		}
		if (cause instanceof reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException
				|| cause instanceof reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException) {
			return NetworkException.of(NetworkException.Kind.POOL_EXHAUSTED,
					request + " was not sent: no connection available (" + cause.getMessage()
							+ "); raise pool.max-connections or pool.pending-acquire-max-count, or send less",
					method, url, cause);
		}
		SSLException ssl = find(ex, SSLException.class);
		if (ssl != null) {
			return NetworkException.of(NetworkException.Kind.TLS,
					request + " failed: TLS handshake failed (" + ssl.getMessage() + ")", method, url, ssl);
		}
		if (find(ex, ConnectTimeoutException.class) != null) {
			return NetworkException.of(NetworkException.Kind.CONNECT,
					request + " failed: connect timed out (" + cause.getMessage() + ")", method, url, cause);
		}
		if (find(ex, ConnectException.class) != null || find(ex, UnknownHostException.class) != null
				|| find(ex, NoRouteToHostException.class) != null
				|| find(ex, UnresolvedAddressException.class) != null) {
			return NetworkException.of(NetworkException.Kind.CONNECT,
					request + " failed: could not connect (" + cause.getMessage() + ")", method, url, cause);
		}
		if (cause instanceof PrematureCloseException || find(ex, DecoderException.class) != null) {
			return NetworkException.of(NetworkException.Kind.PROTOCOL,
					request + " failed: " + cause.getMessage(), method, url, cause);
		}
		if (find(ex, IOException.class) != null) {
			return NetworkException.of(NetworkException.Kind.IO, request + " failed: " + cause.getMessage(), method,
					url, cause);
		}
		return NetworkException.of(NetworkException.Kind.IO,
				request + " failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(), method, url,
				cause);
	}

	private static Throwable unwrap(Throwable ex) {
		Throwable current = ex;
		while ((current instanceof org.springframework.web.reactive.function.client.WebClientRequestException
				|| current.getClass().getName().equals("reactor.core.Exceptions$ReactiveException"))
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	private static <T extends Throwable> @org.jspecify.annotations.Nullable T find(Throwable ex, Class<T> type) {
		Throwable current = ex;
		for (int depth = 0; current != null && depth < 10; depth++) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			current = current.getCause();
		}
		return null;
	}

	private static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + " s" : millis + " ms";
	}

}
