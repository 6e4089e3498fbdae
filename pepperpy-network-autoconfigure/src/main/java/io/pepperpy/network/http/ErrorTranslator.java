package io.pepperpy.network.http;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.TransportErrors;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.core.io.buffer.DataBufferLimitException;

/**
 * Turns whatever Reactor Netty or WebClient raised into a {@link NetworkException} that names the
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
					request + " timed out: no complete response within " + TransportErrors.format(timeout)
							+ " (timeout, from connect to the last byte of the body)",
					method, url, cause);
		}
		if (TransportErrors.find(ex, ReadTimeoutException.class) != null) {
			return NetworkException.of(NetworkException.Kind.TIMEOUT,
					request + " timed out: no data from the server for " + TransportErrors.format(timeout)
							+ " while reading the response (timeout)",
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
		NetworkException setup = TransportErrors.connectionSetup(ex, cause, request, method, url);
		if (setup != null) {
			return setup;
		}
		if (cause instanceof PrematureCloseException || TransportErrors.find(ex, DecoderException.class) != null) {
			return NetworkException.of(NetworkException.Kind.PROTOCOL,
					request + " failed: " + cause.getMessage(), method, url, cause);
		}
		return TransportErrors.io(ex, cause, request, method, url);
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

}
