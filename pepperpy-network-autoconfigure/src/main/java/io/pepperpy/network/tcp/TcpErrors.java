package io.pepperpy.network.tcp;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.netty.handler.codec.TooLongFrameException;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.TransportErrors;

/**
 * Turns whatever Reactor Netty, Netty or the pool raised into a {@link NetworkException} that names the operation
 * and the server address and keeps the original error as its cause.
 */
final class TcpErrors {

	private TcpErrors() {
	}

	/**
	 * The connection closed (end of stream) before a complete response frame arrived.
	 */
	static final class ClosedBeforeResponseException extends IOException {

		ClosedBeforeResponseException(String message) {
			super(message);
		}

	}

	/**
	 * A phase of an attempt did not complete in time.
	 */
	static final class PhaseTimeoutException extends TimeoutException {

		PhaseTimeoutException(String message) {
			super(message);
		}

	}

	/**
	 * No pooled connection became free within the acquire timeout.
	 */
	static final class PoolTimeoutException extends TimeoutException {

		PoolTimeoutException(Duration timeout) {
			super("no pooled connection became free within " + format(timeout));
		}

	}

	/**
	 * The client was closed.
	 */
	static final class ClientClosedException extends IOException {

		ClientClosedException() {
			super("the client is closed");
		}

	}

	/**
	 * A frame is larger than max-frame-length.
	 */
	static final class FrameTooLargeException extends IOException {

		FrameTooLargeException(String message) {
			super(message);
		}

	}

	static NetworkException translate(Throwable ex, String operation, TcpConfig config) {
		if (ex instanceof NetworkException network) {
			return network;
		}
		String address = config.address();
		String what = operation + " " + address;
		if (ex instanceof PhaseTimeoutException) {
			return NetworkException.of(NetworkException.Kind.TIMEOUT, what + " timed out: " + ex.getMessage(),
					operation, address, ex);
		}
		if (ex instanceof PoolTimeoutException) {
			return NetworkException.of(NetworkException.Kind.TIMEOUT,
					what + " timed out: no pooled connection became free within connect-timeout "
							+ format(config.connectTimeout()) + " (pool-size " + config.poolSize() + ")",
					operation, address, ex);
		}
		if (ex instanceof ClientClosedException) {
			return NetworkException.of(NetworkException.Kind.IO, what + " failed: the client is closed", operation,
					address, ex);
		}
		if (ex instanceof FrameTooLargeException || TransportErrors.find(ex, TooLongFrameException.class) != null) {
			return NetworkException.of(NetworkException.Kind.BODY_TOO_LARGE,
					what + " failed: " + ((ex instanceof FrameTooLargeException) ? ex.getMessage()
							: "the server sent a frame larger than max-frame-length "
									+ config.effectiveMaxFrameLength() + " bytes (" + ex.getMessage() + ")"),
					operation, address, ex);
		}
		NetworkException setup = TransportErrors.connectionSetup(ex, ex, what, operation, address);
		if (setup != null) {
			return setup;
		}
		if (ex instanceof TimeoutException) {
			return NetworkException.of(NetworkException.Kind.TIMEOUT, what + " timed out: " + ex.getMessage(),
					operation, address, ex);
		}
		if (ex instanceof ClosedBeforeResponseException || ex instanceof ClosedChannelException) {
			return NetworkException.of(NetworkException.Kind.PROTOCOL, what + " failed: " + message(ex), operation,
					address, ex);
		}
		return TransportErrors.io(ex, ex, what, operation, address);
	}

	private static String message(Throwable ex) {
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	static String format(Duration duration) {
		return TransportErrors.format(duration);
	}

}
