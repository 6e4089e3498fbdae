package io.pepperpy.network.http;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.TransportErrors;
import reactor.core.Exceptions;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * Turns whatever Reactor Netty or WebClient raised into a {@link NetworkException} that names the
 * method and URL and keeps the original error as its cause. It reads public types only: Reactor Netty's pool
 * errors are shaded internals, so a wait for a connection that timed out is recognised as a JDK
 * {@link TimeoutException} raised before the request was sent (WebClient wraps those in a
 * {@link WebClientRequestException}), and a refusal by the pool's wait queue by the pool being saturated when
 * the request failed before it was sent.
 */
final class ErrorTranslator {

	private ErrorTranslator() {
	}

	static NetworkException translate(Throwable ex, String method, String url, Duration timeout) {
		return translate(ex, method, url, timeout, false);
	}

	/**
	 * Translate a failure.
	 * @param poolSaturated whether the connection pool's wait queue is full now, as {@link PoolStats} sees it
	 */
	static NetworkException translate(Throwable ex, String method, String url, Duration timeout,
			boolean poolSaturated) {
		if (ex instanceof NetworkException network) {
			return network;
		}
		String request = method + " " + url;
		Throwable cause = unwrap(ex);
		boolean notSent = TransportErrors.find(ex, WebClientRequestException.class) != null;
		if (cause instanceof TimeoutException && notSent) {
			return NetworkException.of(NetworkException.Kind.POOL_EXHAUSTED,
					request + " was not sent: no connection became available within pool.pending-acquire-timeout ("
							+ cause.getMessage() + "); raise pool.max-connections or pool.pending-acquire-timeout, "
							+ "or send less",
					method, url, cause);
		}
		if (cause instanceof TimeoutException) {
			return NetworkException.of(NetworkException.Kind.TIMEOUT,
					request + " timed out: no complete response within " + TransportErrors.format(timeout)
							+ " (timeout, from connect to the last byte of the body)",
					method, url, cause);
		}
		if (TransportErrors.find(ex, ReadTimeoutException.class) != null) {
			return NetworkException.of(NetworkException.Kind.TIMEOUT,
					request + " timed out: the server sent no data within the read timeout while the response was "
							+ "read (timeout, or spring.http.clients.read-timeout when set)",
					method, url, cause);
		}
		if (cause instanceof DataBufferLimitException) {
			return NetworkException.of(NetworkException.Kind.BODY_TOO_LARGE,
					"Response of " + request + " is larger than max-in-memory-size (" + cause.getMessage()
							+ "); raise max-in-memory-size, or read it with stream() or download() so it is never held in memory",
					method, url, cause);
		}
		if (notSent && poolSaturated && TransportErrors.find(ex, java.io.IOException.class) == null) {
			// Two attempts passed the saturation check in Attempt together, and the pool's wait queue refused one.
			return NetworkException.of(NetworkException.Kind.POOL_EXHAUSTED,
					request + " was not sent: no connection available (" + cause.getMessage()
							+ "); raise pool.max-connections or pool.pending-acquire-max-count, or send less",
					method, url, cause);
		}
		HttpProxyHandler.HttpProxyConnectException proxy = TransportErrors.find(ex,
				HttpProxyHandler.HttpProxyConnectException.class);
		if (proxy != null && proxy.getMessage() != null
				&& PROXY_REFUSED_CREDENTIALS.matcher(proxy.getMessage()).find()) {
			return NetworkException.of(NetworkException.Kind.PROXY_AUTHENTICATION, request
					+ " was not sent: the proxy refused the proxy credentials (" + proxyStatus(proxy.getMessage())
					+ "); check the user name and password of the proxy setting", method, url, proxy);
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

	/**
	 * How Netty's proxy handler names a refusal of the credentials: {@code ..., status: 407 Proxy Authentication
	 * Required} (some proxies send 401). Its message carries the proxy's address and auth scheme, never the
	 * password.
	 */
	private static final Pattern PROXY_REFUSED_CREDENTIALS = Pattern.compile("status: (407|401)\\b");

	private static String proxyStatus(String message) {
		int status = message.lastIndexOf("status: ");
		return (status >= 0) ? message.substring(status + "status: ".length()).trim() : "status 407";
	}

	/**
	 * The error to show: without Reactor's wrapper of checked exceptions ({@link Exceptions#unwrap}) and
	 * WebClient's wrapper of request-phase failures.
	 */
	private static Throwable unwrap(Throwable ex) {
		Throwable current = Exceptions.unwrap(ex);
		while (current instanceof WebClientRequestException && current.getCause() != null) {
			current = Exceptions.unwrap(current.getCause());
		}
		return current;
	}

}
