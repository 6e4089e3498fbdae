package io.pepperpy.network.tcp;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
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

	/** When this connection was last put back in the pool; read and written under the pool's lock. */
	long idleSince;

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

	void close() {
		this.broken = true;
		this.connection.dispose();
	}

	/**
	 * Return whether this connection's event loop is the calling thread.
	 * @return whether a write from here needs no hand-over to another thread
	 */
	boolean inEventLoop() {
		Channel channel = this.connection.channel();
		return channel.isRegistered() && channel.eventLoop().inEventLoop();
	}

	EventLoop eventLoop() {
		return this.connection.channel().eventLoop();
	}

	/**
	 * Write one frame and wait for the next one, then give this connection back to the pool: released when the
	 * reply came in step, invalidated on any failure, timeout or cancellation. It is released before the reply is
	 * emitted, so that whatever the reply starts next can reuse it.
	 * @param payload the request frame, already checked against the maximum
	 * @param writeTimeout longest time to write it
	 * @param readTimeout longest wait for the response once written
	 * @param sent set when bytes are handed to the socket
	 * @param pool the pool this connection was acquired from
	 * @return the response frame
	 */
	Mono<byte[]> exchange(byte[] payload, Duration writeTimeout, Duration readTimeout, AtomicBoolean sent,
			ChannelPool pool) {
		return Mono.create((sink) -> {
			Channel channel = this.connection.channel();
			if (this.broken || !channel.isActive()) {
				pool.invalidate(this);
				sink.error(new TcpErrors.ClosedBeforeResponseException(
						"the pooled connection closed before the request was sent"));
				return;
			}
			Pending exchange = new Pending(sink, pool, this.raw ? new ByteArrayOutputStream() : null,
					writeTimeout.toNanos(), readTimeout.toNanos());
			if (!PENDING.compareAndSet(this, null, exchange)) {
				sink.error(new IllegalStateException("connection already has an exchange in flight"));
				return;
			}
			sink.onCancel(() -> {
				if (PENDING.compareAndSet(this, exchange, null)) {
					this.broken = true;
					exchange.cancelTimer();
					pool.invalidate(this);
				}
			});
			ByteBuf frame = this.codec.encode(channel.alloc(), payload);
			sent.set(true);
			// One timer per exchange, for the earlier of the two limits; it re-arms itself if neither is due yet.
			exchange.timer = channel.eventLoop()
				.schedule(() -> onTimer(exchange), Math.min(exchange.writeTimeoutNanos, exchange.readTimeoutNanos),
						TimeUnit.NANOSECONDS);
			channel.writeAndFlush(frame).addListener((future) -> {
				if (!future.isSuccess()) {
					fail(exchange, future.cause());
					return;
				}
				this.metrics.sent(payload.length);
				exchange.writtenNanos = System.nanoTime();
				exchange.written = true;
				if (this.raw && this.pending == exchange) {
					shutdownOutput(channel);
				}
			});
		});
	}

	private void onTimer(Pending exchange) {
		if (this.pending != exchange) {
			return;
		}
		long now = System.nanoTime();
		long remaining;
		if (!exchange.written) {
			remaining = exchange.startNanos + exchange.writeTimeoutNanos - now;
			if (remaining <= 0) {
				fail(exchange, new TcpErrors.PhaseTimeoutException("the request frame was not written within "
						+ "write-timeout " + TcpErrors.format(Duration.ofNanos(exchange.writeTimeoutNanos))
						+ " (the server does not read)"));
				return;
			}
			remaining = Math.min(remaining, exchange.readTimeoutNanos);
		}
		else {
			remaining = exchange.writtenNanos + exchange.readTimeoutNanos - now;
			if (remaining <= 0) {
				fail(exchange, new TcpErrors.PhaseTimeoutException("no response frame within read-timeout "
						+ TcpErrors.format(Duration.ofNanos(exchange.readTimeoutNanos))));
				return;
			}
		}
		exchange.timer = this.connection.channel()
			.eventLoop()
			.schedule(() -> onTimer(exchange), remaining, TimeUnit.NANOSECONDS);
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
			exchange.pool.invalidate(this);
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
			exchange.pool.release(this);
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
				exchange.pool.invalidate(this);
				exchange.sink.success(body);
			}
			return;
		}
		fail(exchange, new TcpErrors.ClosedBeforeResponseException(
				"the connection closed before a complete response frame arrived"));
	}

	private static final class Pending {

		final MonoSink<byte[]> sink;

		final ChannelPool pool;

		final @Nullable ByteArrayOutputStream rawBody;

		final long startNanos = System.nanoTime();

		final long writeTimeoutNanos;

		final long readTimeoutNanos;

		volatile long writtenNanos;

		volatile boolean written;

		volatile @Nullable ScheduledFuture<?> timer;

		Pending(MonoSink<byte[]> sink, ChannelPool pool, @Nullable ByteArrayOutputStream rawBody,
				long writeTimeoutNanos, long readTimeoutNanos) {
			this.sink = sink;
			this.pool = pool;
			this.rawBody = rawBody;
			this.writeTimeoutNanos = writeTimeoutNanos;
			this.readTimeoutNanos = readTimeoutNanos;
		}

		void cancelTimer() {
			ScheduledFuture<?> current = this.timer;
			if (current != null) {
				current.cancel(false);
			}
		}

	}

}
