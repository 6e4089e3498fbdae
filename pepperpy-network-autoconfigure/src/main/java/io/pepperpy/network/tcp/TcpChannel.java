package io.pepperpy.network.tcp;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
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

	/**
	 * The connection's channel and event loop, looked up once: through Reactor Netty's wrappers, on every
	 * exchange, they showed in profiles.
	 */
	private final Channel channel;

	private final EventLoop eventLoop;

	private final FrameCodec codec;

	private final TcpMetrics metrics;

	private final boolean raw;

	private volatile @Nullable Pending pending;

	private volatile boolean broken;

	/** The connection's one timer, or {@code null} while idle; scheduled on the event loop only. */
	private volatile @Nullable ScheduledFuture<?> watchdog;

	/** When {@link #watchdog} runs; read and written on the event loop only. */
	private long watchdogDue;

	/** When this connection was last put back in the pool; read and written under the pool's lock. */
	long idleSince;

	TcpChannel(Connection connection, FrameCodec codec, TcpMetrics metrics, boolean raw) {
		this.connection = connection;
		this.channel = connection.channel();
		this.eventLoop = this.channel.eventLoop();
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
		return !this.broken && !this.raw && this.channel.isActive();
	}

	void close() {
		this.broken = true;
		ScheduledFuture<?> current = this.watchdog;
		if (current != null) {
			current.cancel(false);
		}
		this.connection.dispose();
	}

	/**
	 * Return whether this connection's event loop is the calling thread.
	 * @return whether a write from here needs no hand-over to another thread
	 */
	boolean inEventLoop() {
		return this.eventLoop.inEventLoop();
	}

	EventLoop eventLoop() {
		return this.eventLoop;
	}

	/**
	 * Write one frame and wait for the next one, then give this connection back to the pool: released when the
	 * reply came in step, invalidated on any failure, timeout or cancellation ({@link #cancel}). It is released
	 * before the reply is handed on, so that whatever the reply starts next can reuse it. The outcome goes to the
	 * exchange's callbacks, exactly once, unless it is cancelled first.
	 * @param exchange the exchange: its limits and callbacks
	 * @param payload the request frame, already checked against the maximum
	 * @param pool the pool this connection was acquired from
	 */
	void start(Pending exchange, byte[] payload, ChannelPool pool) {
		Channel channel = this.channel;
		exchange.pool = pool;
		exchange.channel = this;
		if (this.broken || !channel.isActive()) {
			pool.invalidate(this);
			exchange.failed(new TcpErrors.ClosedBeforeResponseException(
					"the pooled connection closed before the request was sent"));
			return;
		}
		exchange.rawBody = this.raw ? new ByteArrayOutputStream() : null;
		exchange.startNanos = System.nanoTime();
		if (!PENDING.compareAndSet(this, null, exchange)) {
			exchange.failed(new IllegalStateException("connection already has an exchange in flight"));
			return;
		}
		ByteBuf frame = this.codec.encode(channel.alloc(), payload);
		exchange.sending();
		EventLoop loop = this.eventLoop;
		if (loop.inEventLoop()) {
			write(channel, exchange, frame, payload.length);
			return;
		}
		try {
			loop.execute(() -> write(channel, exchange, frame, payload.length));
		}
		catch (RejectedExecutionException ex) {
			frame.release();
			fail(exchange, ex);
		}
	}

	/**
	 * Give up an exchange that nobody waits for any more: the connection may still receive its reply, so it is
	 * never reused.
	 * @param exchange the exchange started with {@link #start}
	 */
	void cancel(Pending exchange) {
		if (PENDING.compareAndSet(this, exchange, null)) {
			this.broken = true;
			exchange.pool.invalidate(this);
		}
	}

	/** On the event loop: arm the watchdog for the exchange, then write its frame. */
	private void write(Channel channel, Pending exchange, ByteBuf frame, int length) {
		if (this.pending != exchange) {
			frame.release();
			return;
		}
		arm(exchange);
		channel.writeAndFlush(frame).addListener((future) -> {
			if (!future.isSuccess()) {
				fail(exchange, future.cause());
				return;
			}
			this.metrics.sent(length);
			exchange.writtenNanos = System.nanoTime();
			exchange.written = true;
			if (this.raw && this.pending == exchange) {
				shutdownOutput(channel);
			}
		});
	}

	/**
	 * On the event loop: make sure the watchdog runs no later than the exchange's first possible deadline. One
	 * watchdog per connection serves every exchange: when it runs it checks the exchange then in flight and
	 * schedules itself for that exchange's deadline, so back-to-back exchanges with the same limits schedule
	 * nothing (a timer per exchange, scheduled and cancelled, cost about a microsecond of the event loop each).
	 * An exchange with a shorter limit than the one the watchdog waits for moves it earlier.
	 */
	private void arm(Pending exchange) {
		long due = exchange.startNanos + Math.min(exchange.writeTimeoutNanos, exchange.readTimeoutNanos);
		ScheduledFuture<?> current = this.watchdog;
		if (current != null && this.watchdogDue - due <= 0) {
			return;
		}
		if (current != null) {
			current.cancel(false);
		}
		schedule(due, System.nanoTime());
	}

	private void schedule(long due, long now) {
		this.watchdogDue = due;
		this.watchdog = this.eventLoop.schedule(this::onWatchdog, Math.max(0, due - now), TimeUnit.NANOSECONDS);
	}

	/** On the event loop: fail the exchange in flight if one of its limits passed, else wait for the next. */
	private void onWatchdog() {
		this.watchdog = null;
		Pending exchange = this.pending;
		if (exchange == null || this.broken) {
			// Idle: the next exchange arms it again.
			return;
		}
		long now = System.nanoTime();
		long due;
		if (!exchange.written) {
			due = exchange.startNanos + exchange.writeTimeoutNanos;
			if (now - due >= 0) {
				fail(exchange, new TcpErrors.PhaseTimeoutException("the request frame was not written within "
						+ "write-timeout " + TcpErrors.format(Duration.ofNanos(exchange.writeTimeoutNanos))
						+ " (the server does not read)"));
				return;
			}
			// The write may complete any moment, and the read limit counts from then.
			due = Math.min(due, now + exchange.readTimeoutNanos);
		}
		else {
			due = exchange.writtenNanos + exchange.readTimeoutNanos;
			if (now - due >= 0) {
				fail(exchange, new TcpErrors.PhaseTimeoutException("no response frame within read-timeout "
						+ TcpErrors.format(Duration.ofNanos(exchange.readTimeoutNanos))));
				return;
			}
		}
		schedule(due, now);
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
			exchange.pool.invalidate(this);
			exchange.failed(error);
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
			this.metrics.received(frame.length);
			exchange.pool.release(this);
			exchange.replied(frame);
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
				byte[] body = exchange.rawBody.toByteArray();
				this.metrics.received(body.length);
				exchange.pool.invalidate(this);
				exchange.replied(body);
			}
			return;
		}
		fail(exchange, new TcpErrors.ClosedBeforeResponseException(
				"the connection closed before a complete response frame arrived"));
	}

	/**
	 * One exchange on a connection: its limits, its state, and where its outcome goes. The connection calls
	 * {@link #sending} once the frame is about to reach the socket, then exactly one of {@link #replied} and
	 * {@link #failed}, unless the exchange is {@linkplain #cancel cancelled} first.
	 */
	abstract static class Pending {

		final long writeTimeoutNanos;

		final long readTimeoutNanos;

		@Nullable ByteArrayOutputStream rawBody;

		@Nullable TcpChannel channel;

		@SuppressWarnings("NullAway.Init")
		ChannelPool pool;

		long startNanos;

		volatile long writtenNanos;

		volatile boolean written;

		Pending(Duration writeTimeout, Duration readTimeout) {
			this.writeTimeoutNanos = writeTimeout.toNanos();
			this.readTimeoutNanos = readTimeout.toNanos();
		}

		/** The request's bytes are handed to the connection: from now on the server may see them. */
		abstract void sending();

		abstract void replied(byte[] frame);

		abstract void failed(Throwable error);

		/** Give up the exchange if it was started on a connection. */
		final void cancel() {
			TcpChannel started = this.channel;
			if (started != null) {
				started.cancel(this);
			}
		}

	}

}
