package io.pepperpy.network.tcp;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.Connection;

/**
 * One pooled connection. Its inbound side is read by one subscription for the connection's whole life, which
 * hands each frame to the exchange waiting for it; a frame nobody waits for means the client and server are out
 * of step, so the connection is closed. At most one exchange runs on a connection at a time (the pool sees to
 * it), and a connection whose exchange failed, timed out or was cancelled is never reused.
 */
final class TcpChannel {

	@SuppressWarnings("rawtypes")
	private static final AtomicReferenceFieldUpdater<TcpChannel, Pending> PENDING = AtomicReferenceFieldUpdater
		.newUpdater(TcpChannel.class, Pending.class, "pending");

	private final Connection connection;

	private final FrameCodec codec;

	private final TcpMetrics metrics;

	private final boolean raw;

	private volatile @Nullable Pending pending;

	private volatile boolean broken;

	TcpChannel(Connection connection, FrameCodec codec, TcpMetrics metrics, boolean raw) {
		this.connection = connection;
		this.codec = codec;
		this.metrics = metrics;
		this.raw = raw;
		connection.inbound().receiveObject().subscribe(this::onFrame, this::onError, this::onEnd);
	}

	/**
	 * Return whether another exchange may use this connection.
	 * @return whether the connection is open and in step
	 */
	boolean usable() {
		return !this.broken && !this.raw && this.connection.channel().isActive();
	}

	Mono<Void> close() {
		return Mono.fromRunnable(() -> {
			this.broken = true;
			this.connection.dispose();
		});
	}

	/**
	 * Write one frame and wait for the next one.
	 * @param payload the request frame, already checked against the maximum
	 * @param writeTimeout longest time to write it
	 * @param readTimeout longest wait for the response once written
	 * @param sent set when bytes are handed to the socket
	 * @return the response frame
	 */
	Mono<byte[]> exchange(byte[] payload, Duration writeTimeout, Duration readTimeout, AtomicBoolean sent) {
		return Mono.create((sink) -> {
			Channel channel = this.connection.channel();
			if (this.broken || !channel.isActive()) {
				sink.error(new TcpErrors.ClosedBeforeResponseException(
						"the pooled connection closed before the request was sent"));
				return;
			}
			Pending exchange = new Pending(sink, this.raw ? new ByteArrayOutputStream() : null);
			if (!PENDING.compareAndSet(this, null, exchange)) {
				sink.error(new IllegalStateException("connection already has an exchange in flight"));
				return;
			}
			sink.onCancel(() -> {
				if (PENDING.compareAndSet(this, exchange, null)) {
					this.broken = true;
					exchange.cancelTimer();
				}
			});
			ByteBuf frame = this.codec.encode(channel.alloc(), payload);
			sent.set(true);
			exchange.timer = channel.eventLoop()
				.schedule(() -> fail(exchange, new TcpErrors.PhaseTimeoutException("the request frame was not "
						+ "written within write-timeout " + TcpErrors.format(writeTimeout)
						+ " (the server does not read)")), writeTimeout.toNanos(), TimeUnit.NANOSECONDS);
			channel.writeAndFlush(frame).addListener((future) -> {
				if (!future.isSuccess()) {
					fail(exchange, future.cause());
					return;
				}
				this.metrics.sent(payload.length);
				if (this.pending != exchange) {
					return;
				}
				exchange.cancelTimer();
				exchange.timer = channel.eventLoop()
					.schedule(() -> fail(exchange, new TcpErrors.PhaseTimeoutException(
							"no response frame within read-timeout " + TcpErrors.format(readTimeout))),
							readTimeout.toNanos(), TimeUnit.NANOSECONDS);
				if (this.raw) {
					shutdownOutput(channel);
				}
			});
		});
	}

	private static void shutdownOutput(Channel channel) {
		if (!(channel instanceof DuplexChannel duplex)) {
			return;
		}
		SslHandler ssl = channel.pipeline().get(SslHandler.class);
		if (ssl != null) {
			ssl.closeOutbound().addListener((future) -> duplex.shutdownOutput());
		}
		else {
			duplex.shutdownOutput();
		}
	}

	private void fail(Pending exchange, Throwable error) {
		if (PENDING.compareAndSet(this, exchange, null)) {
			this.broken = true;
			exchange.cancelTimer();
			exchange.sink.error(error);
		}
	}

	private void onFrame(Object message) {
		if (!(message instanceof ByteBuf buffer)) {
			return;
		}
		Pending exchange = this.pending;
		if (this.raw) {
			if (exchange != null && exchange.rawBody != null) {
				int max = this.codec.maxFrameLength();
				if (exchange.rawBody.size() + buffer.readableBytes() > max) {
					fail(exchange, new TcpErrors.FrameTooLargeException(
							"the response is larger than max-frame-length " + max + " bytes"));
					this.connection.dispose();
					return;
				}
				exchange.rawBody.writeBytes(ByteBufUtil.getBytes(buffer));
			}
			return;
		}
		byte[] frame = ByteBufUtil.getBytes(buffer);
		if (exchange != null && PENDING.compareAndSet(this, exchange, null)) {
			exchange.cancelTimer();
			this.metrics.received(frame.length);
			exchange.sink.success(frame);
			return;
		}
		// A frame no exchange waits for: the connection is out of step, never reuse it.
		this.broken = true;
		this.connection.dispose();
	}

	private void onError(Throwable error) {
		this.broken = true;
		Pending exchange = this.pending;
		if (exchange != null) {
			fail(exchange, error);
		}
		this.connection.dispose();
	}

	private void onEnd() {
		this.broken = true;
		Pending exchange = this.pending;
		if (exchange == null) {
			return;
		}
		if (this.raw && exchange.rawBody != null) {
			if (PENDING.compareAndSet(this, exchange, null)) {
				exchange.cancelTimer();
				byte[] body = exchange.rawBody.toByteArray();
				this.metrics.received(body.length);
				exchange.sink.success(body);
			}
			return;
		}
		fail(exchange, new TcpErrors.ClosedBeforeResponseException(
				"the connection closed before a complete response frame arrived"));
	}

	private static final class Pending {

		final MonoSink<byte[]> sink;

		final @Nullable ByteArrayOutputStream rawBody;

		volatile @Nullable ScheduledFuture<?> timer;

		Pending(MonoSink<byte[]> sink, @Nullable ByteArrayOutputStream rawBody) {
			this.sink = sink;
			this.rawBody = rawBody;
		}

		void cancelTimer() {
			ScheduledFuture<?> current = this.timer;
			if (current != null) {
				current.cancel(false);
			}
		}

	}

}
