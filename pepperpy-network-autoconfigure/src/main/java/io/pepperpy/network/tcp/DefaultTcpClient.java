package io.pepperpy.network.tcp;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.limit.RateGate;
import io.pepperpy.network.limit.RateLimitListener;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpSslContextSpec;
import reactor.util.context.Context;
import reactor.util.retry.Retry;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The {@link TcpClient} implementation: a Reactor Netty TCP connector without its own pool, a
 * {@link ChannelPool} of persistent connections ({@link TcpChannel}) with event-loop affinity, a rate limiter shared by the client's exchanges and a retry loop
 * driven by Spring's {@link RetryPolicy} and executed with Reactor timers.
 */
final class DefaultTcpClient implements TcpClient {

	private static final String EXCHANGE = "EXCHANGE";

	private static final String STREAM = "STREAM";

	private static final Throwable CANCELLED = new CancellationException("cancelled");

	private final TcpConfig config;

	private final Logger logger;

	private final TcpMetrics metrics;

	private final RateGate limiter;

	private final FrameCodec codec;

	private final reactor.netty.tcp.TcpClient connector;

	private final ChannelPool pool;

	/** The policy of exchanges that keep the configured retries, built once. */
	private final @Nullable RetryPolicy retryPolicy;

	DefaultTcpClient(TcpConfig config, @Nullable MeterRegistry meterRegistry, @Nullable KeyManagerFactory keyManagers,
			@Nullable TrustManagerFactory trustManagers) {
		this.config = config;
		this.logger = LoggerFactory.getLogger(TcpClient.class.getName() + "." + config.name());
		this.metrics = new TcpMetrics(meterRegistry, config.name());
		this.limiter = new RateGate(config.maxRateLimit(), System::nanoTime, RateLimitListener.NONE);
		this.codec = new FrameCodec(config);
		this.connector = createConnector(config, this.codec, keyManagers, trustManagers, this.logger);
		boolean raw = config.framing() == Framing.RAW;
		this.pool = new ChannelPool(
				this.connector.connect().map((connection) -> new TcpChannel(connection, this.codec, this.metrics, raw)),
				config.poolSize(), config.poolIdleTime());
		this.retryPolicy = (config.retries() > 0) ? retryPolicy(config.retries()) : null;
		this.metrics.connections(this.pool::acquiredSize, this.pool::idleSize);
	}

	private static reactor.netty.tcp.TcpClient createConnector(TcpConfig config, FrameCodec codec,
			@Nullable KeyManagerFactory keyManagers, @Nullable TrustManagerFactory trustManagers, Logger logger) {
		reactor.netty.tcp.TcpClient client = reactor.netty.tcp.TcpClient.create(ConnectionProvider.newConnection())
			.host(config.host())
			.port(config.port())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
			.option(ChannelOption.SO_KEEPALIVE, config.keepAlive())
			.option(ChannelOption.TCP_NODELAY, true)
			.doOnConnected(codec::install);
		if (!config.secure()) {
			return client;
		}
		if (config.sslBundle() != null && keyManagers == null && trustManagers == null) {
			throw new IllegalStateException("TCP client '" + config.name() + "' uses ssl-bundle '" + config.sslBundle()
					+ "' but no key or trust managers were given; in Spring Boot the auto-configuration resolves "
					+ "the bundle, standalone pass them with TcpClient.builder().tlsManagers(...)");
		}
		boolean verify = config.verifySsl();
		if (!verify) {
			logger.warn("TCP client '{}' does not verify TLS certificates or host names (verify-ssl: false): "
					+ "use this only against test servers", config.name());
		}
		TcpSslContextSpec spec = TcpSslContextSpec.forClient().configure((builder) -> {
			if (!verify) {
				builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
			}
			else if (trustManagers != null) {
				builder.trustManager(trustManagers);
			}
			if (keyManagers != null) {
				builder.keyManager(keyManagers);
			}
		});
		return client.secure((ssl) -> ssl.sslContext(spec)
			.handshakeTimeout(config.connectTimeout())
			.handlerConfigurator((handler) -> {
				SSLEngine engine = handler.engine();
				SSLParameters parameters = engine.getSSLParameters();
				parameters.setEndpointIdentificationAlgorithm(verify ? "HTTPS" : null);
				engine.setSSLParameters(parameters);
			}));
	}

	@Override
	public ExchangeSpec exchange(byte[] request) {
		if (request == null) {
			throw new IllegalArgumentException("request must not be null");
		}
		return new DefaultExchangeSpec(request.clone());
	}

	@Override
	public Flux<byte[]> stream(Publisher<byte[]> outbound) {
		if (outbound == null) {
			throw new IllegalArgumentException("outbound must not be null");
		}
		return Flux.defer(() -> {
			long start = System.nanoTime();
			Mono<Connection> connect = connectWithRetry();
			return Flux.usingWhen(connect, (connection) -> streamOn(connection, outbound),
					(connection) -> closeStream(connection, start, null),
					(connection, error) -> closeStream(connection, start, error),
					(connection) -> closeStream(connection, start, CANCELLED));
		}).onErrorMap((ex) -> {
			NetworkException network = TcpErrors.translate(ex, STREAM, this.config);
			if (network != ex) {
				this.metrics.error(network.kind());
			}
			return network;
		});
	}

	private Mono<Connection> connectWithRetry() {
		Mono<Connection> connect = this.connector.connect().cast(Connection.class).onErrorMap((ex) -> {
			NetworkException network = TcpErrors.translate(ex, STREAM, this.config);
			this.metrics.error(network.kind());
			return network;
		});
		if (this.config.retries() == 0) {
			return connect;
		}
		return Mono.defer(() -> {
			BackOffExecution backOff = retryPolicy(this.config.retries()).getBackOff().start();
			return connect.retryWhen(Retry.from((signals) -> signals.concatMap((signal) -> {
				Throwable failure = signal.failure();
				long delay = (failure instanceof NetworkException network
						&& network.kind() == NetworkException.Kind.CONNECT && signal.totalRetries() < this.config.retries())
								? backOff.nextBackOff() : BackOffExecution.STOP;
				if (delay == BackOffExecution.STOP) {
					return Mono.error(failure);
				}
				this.logger.debug("{} {} connect failed ({}), reconnecting in {} ms", STREAM, this.config.address(),
						failure.getMessage(), delay);
				return Mono.delay(Duration.ofMillis(delay));
			})));
		});
	}

	private Flux<byte[]> streamOn(Connection connection, Publisher<byte[]> outbound) {
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("{} {} opened", STREAM, this.config.address());
		}
		AtomicReference<@Nullable Throwable> sendError = new AtomicReference<>();
		Channel channel = connection.channel();
		Flux<byte[]> inbound = connection.inbound().receiveObject().map((message) -> {
			byte[] frame = ByteBufUtil.getBytes((ByteBuf) message);
			this.metrics.received(frame.length);
			return frame;
		}).timeout(this.config.readTimeout()).onErrorMap(java.util.concurrent.TimeoutException.class,
				(ex) -> new TcpErrors.PhaseTimeoutException(
						"no frame within read-timeout " + TcpErrors.format(this.config.readTimeout())));
		return inbound.doOnSubscribe((subscription) -> Flux.from(outbound)
			.concatMap((payload) -> write(channel, payload))
			.subscribe(null, (error) -> {
				sendError.set(error);
				connection.dispose();
			}))
			.onErrorMap((error) -> {
				Throwable failure = sendError.get();
				return (failure != null) ? failure : error;
			})
			.concatWith(Mono.defer(() -> {
				Throwable failure = sendError.get();
				return (failure != null) ? Mono.error(failure) : Mono.empty();
			}));
	}

	private Mono<Void> write(Channel channel, byte[] payload) {
		return Mono.create((sink) -> {
			try {
				this.codec.check(payload);
			}
			catch (TcpErrors.FrameTooLargeException ex) {
				sink.error(ex);
				return;
			}
			if (!channel.isActive()) {
				sink.error(new java.nio.channels.ClosedChannelException());
				return;
			}
			Duration writeTimeout = this.config.writeTimeout();
			ScheduledFuture<?> timer = channel.eventLoop()
				.schedule(() -> sink.error(new TcpErrors.PhaseTimeoutException("a frame was not written within "
						+ "write-timeout " + TcpErrors.format(writeTimeout) + " (the server does not read)")),
						writeTimeout.toNanos(), TimeUnit.NANOSECONDS);
			channel.writeAndFlush(this.codec.encode(channel.alloc(), payload)).addListener((future) -> {
				timer.cancel(false);
				if (future.isSuccess()) {
					this.metrics.sent(payload.length);
					sink.success();
				}
				else {
					sink.error(future.cause());
				}
			});
		});
	}

	private Mono<Void> closeStream(Connection connection, long start, @Nullable Throwable error) {
		return Mono.fromRunnable(() -> {
			connection.dispose();
			if (this.logger.isDebugEnabled()) {
				this.logger.debug("{} {} closed after {} ms{}", STREAM, this.config.address(),
						(System.nanoTime() - start) / 1_000_000,
						(error == null) ? "" : (error == CANCELLED) ? " (cancelled)" : ": " + error.getMessage());
			}
		});
	}

	@Override
	public TcpConfig config() {
		return this.config;
	}

	@Override
	public void close() {
		this.metrics.close();
		this.pool.close();
	}

	@Override
	public String toString() {
		return "TcpClient '" + this.config.name() + "' for " + this.config.address();
	}

	private RetryPolicy retryPolicy(int retries) {
		return RetryPolicy.builder()
			.maxRetries(retries)
			.delay(this.config.retryDelay())
			.multiplier(this.config.retryBackoffMultiplier())
			.maxDelay((this.config.retryMaxDelay().compareTo(this.config.retryDelay()) >= 0)
					? this.config.retryMaxDelay() : this.config.retryDelay())
			.jitter(this.config.retryJitter())
			.build();
	}

	private final class DefaultExchangeSpec implements ExchangeSpec {

		private final byte[] request;

		private boolean idempotent = DefaultTcpClient.this.config.idempotent();

		private int retries = DefaultTcpClient.this.config.retries();

		private Duration readTimeout = DefaultTcpClient.this.config.readTimeout();

		private @Nullable Duration deadline = DefaultTcpClient.this.config.deadline();

		DefaultExchangeSpec(byte[] request) {
			this.request = request;
		}

		@Override
		public ExchangeSpec idempotent() {
			this.idempotent = true;
			return this;
		}

		@Override
		public ExchangeSpec retries(int retries) {
			if (retries < 0) {
				throw new IllegalArgumentException("retries must be 0 or more but was " + retries);
			}
			this.retries = retries;
			return this;
		}

		@Override
		public ExchangeSpec readTimeout(Duration readTimeout) {
			if (readTimeout == null || readTimeout.isNegative() || readTimeout.isZero()) {
				throw new IllegalArgumentException("readTimeout must be positive but was " + readTimeout);
			}
			this.readTimeout = readTimeout;
			return this;
		}

		@Override
		public ExchangeSpec deadline(Duration deadline) {
			if (deadline == null || deadline.isNegative() || deadline.isZero()) {
				throw new IllegalArgumentException("deadline must be positive but was " + deadline);
			}
			this.deadline = deadline;
			return this;
		}

		@Override
		public Mono<byte[]> retrieve() {
			return ExchangeMono.assemble(new ExchangeMono(
					new Call(this.request, this.idempotent, this.retries, this.readTimeout, this.deadline)));
		}

	}

	private record Call(byte[] request, boolean idempotent, int retries, Duration readTimeout,
			@Nullable Duration deadline) {

	}

	/**
	 * An exchange: each subscription runs it once. One object per subscription ({@link Execution}) is the
	 * subscription, the first attempt's callbacks and the recorder of the outcome, so the common case (an idle
	 * connection, no rate limit, no deadline, a reply) costs no Reactor operator; the rest (waiting for a
	 * connection or a permit, a deadline, retries) is composed with Reactor.
	 */
	private final class ExchangeMono extends Mono<byte[]> {

		private final Call call;

		ExchangeMono(Call call) {
			this.call = call;
		}

		/** Apply Reactor's assembly hooks (debug traces), as Reactor's own operators do. */
		static Mono<byte[]> assemble(Mono<byte[]> exchange) {
			return onAssembly(exchange);
		}

		@Override
		public void subscribe(CoreSubscriber<? super byte[]> actual) {
			Execution execution = new Execution(this.call, actual);
			actual.onSubscribe(execution);
			execution.start();
		}

	}

	/**
	 * The state of one exchange across its attempts, delivered to the subscriber as its subscription; it records
	 * the outcome once, whichever of reply, failure and cancellation comes first.
	 */
	private final class Execution extends Operators.MonoSubscriber<byte[], byte[]> {

		private static final AtomicIntegerFieldUpdater<Execution> DONE = AtomicIntegerFieldUpdater
			.newUpdater(Execution.class, "done");

		private final Call call;

		private final long startNanos = System.nanoTime();

		private final long deadlineNanos;

		private @Nullable BackOffExecution backOff;

		private int attempt;

		/** Whether the current attempt's request may have reached the server. */
		private volatile boolean sent;

		private volatile int done;

		/** The first attempt while it runs on an idle connection, for cancellation. */
		private volatile TcpChannel.@Nullable Pending first;

		/** The Reactor composition that took over, for cancellation. */
		private volatile @Nullable Subscription composed;

		Execution(Call call, CoreSubscriber<? super byte[]> actual) {
			super(actual);
			this.call = call;
			this.deadlineNanos = (call.deadline() != null) ? this.startNanos + call.deadline().toNanos()
					: Long.MAX_VALUE;
		}

		void start() {
			if (isCancelled()) {
				return;
			}
			try {
				DefaultTcpClient.this.codec.check(this.call.request());
			}
			catch (TcpErrors.FrameTooLargeException ex) {
				NetworkException error = TcpErrors.translate(ex, EXCHANGE, DefaultTcpClient.this.config);
				DefaultTcpClient.this.metrics.error(error.kind());
				finish(error);
				return;
			}
			if (this.call.deadline() == null && DefaultTcpClient.this.limiter.isOpen()) {
				TcpChannel idle = DefaultTcpClient.this.pool.pollIdle();
				if (idle != null) {
					this.attempt++;
					FirstAttempt first = new FirstAttempt();
					this.first = first;
					idle.start(first, this.call.request(), DefaultTcpClient.this.pool);
					if (isCancelled()) {
						first.cancel();
					}
					return;
				}
			}
			Mono<byte[]> result = attemptWithRetries();
			if (this.call.deadline() != null) {
				result = result.timeout(this.call.deadline(), Mono.error(this::deadlineExceeded));
			}
			compose(result);
		}

		/** Hand the rest of the exchange to a Reactor composition whose outcome is this exchange's. */
		private void compose(Mono<byte[]> rest) {
			rest.subscribe(new CoreSubscriber<byte[]>() {

				@Override
				public void onSubscribe(Subscription subscription) {
					Execution.this.composed = subscription;
					if (isCancelled()) {
						subscription.cancel();
					}
					else {
						subscription.request(Long.MAX_VALUE);
					}
				}

				@Override
				public void onNext(byte[] response) {
					succeed(response);
				}

				@Override
				public void onError(Throwable error) {
					finish(error);
				}

				@Override
				public void onComplete() {
				}

				@Override
				public Context currentContext() {
					return Execution.this.actual.currentContext();
				}

			});
		}

		/** The first attempt, on an idle connection, without an operator. */
		private final class FirstAttempt extends TcpChannel.Pending {

			FirstAttempt() {
				super(DefaultTcpClient.this.config.writeTimeout(), Execution.this.call.readTimeout());
			}

			@Override
			void sending() {
				Execution.this.sent = true;
			}

			@Override
			void replied(byte[] frame) {
				Execution.this.first = null;
				succeed(frame);
			}

			@Override
			void failed(Throwable error) {
				Execution.this.first = null;
				NetworkException failure = attemptFailed(error);
				if (Execution.this.call.retries() == 0) {
					finish(failure);
					return;
				}
				compose(onFailure(failure).then(Mono.defer(Execution.this::attemptWithRetries)));
			}

		}

		@Override
		public void cancel() {
			super.cancel();
			TcpChannel.Pending running = this.first;
			if (running != null) {
				running.cancel();
			}
			Subscription rest = this.composed;
			if (rest != null) {
				rest.cancel();
			}
			if (DONE.compareAndSet(this, 0, 1)) {
				DefaultTcpClient.this.metrics.exchange("CANCELLED", "CancellationException",
						System.nanoTime() - this.startNanos);
			}
		}

		private void succeed(byte[] response) {
			if (!DONE.compareAndSet(this, 0, 1)) {
				return;
			}
			long nanos = System.nanoTime() - this.startNanos;
			DefaultTcpClient.this.metrics.succeeded(nanos);
			if (DefaultTcpClient.this.logger.isDebugEnabled()) {
				DefaultTcpClient.this.logger.debug("{} {} sent {} bytes, received {} bytes in {} ms (attempt {})",
						EXCHANGE, DefaultTcpClient.this.config.address(), this.call.request().length,
						response.length, nanos / 1_000_000, this.attempt);
			}
			complete(response);
		}

		private void finish(Throwable error) {
			if (!DONE.compareAndSet(this, 0, 1)) {
				return;
			}
			String exception = (error instanceof NetworkException network) ? network.kind().name()
					: error.getClass().getSimpleName();
			DefaultTcpClient.this.metrics.exchange("ERROR", exception, System.nanoTime() - this.startNanos);
			this.actual.onError(error);
		}

		Mono<byte[]> attempt() {
			this.attempt++;
			this.sent = false;
			TcpConfig config = DefaultTcpClient.this.config;
			ChannelPool pool = DefaultTcpClient.this.pool;
			// An idle connection is taken at subscription without the acquire's sink and flatMap.
			Mono<byte[]> exchange = Mono.defer(() -> {
				TcpChannel idle = pool.pollIdle();
				return (idle != null) ? exchangeOn(idle)
						: pool.acquire(config.connectTimeout()).flatMap(this::exchangeOn);
			});
			if (!DefaultTcpClient.this.limiter.isOpen()) {
				exchange = DefaultTcpClient.this.limiter.acquire(maxWait())
					.onErrorMap(RateGate.PermitUnavailableException.class,
							(ex) -> NetworkException.of(NetworkException.Kind.RATE_LIMITED,
									EXCHANGE + " " + config.address() + " was not sent: " + ex.getMessage()
											+ " (rate-limit-timeout or deadline)",
									EXCHANGE, config.address(), ex))
					.then(exchange);
			}
			return exchange;
		}

		private Mono<byte[]> exchangeOn(TcpChannel channel) {
			return Mono.create((sink) -> {
				TcpChannel.Pending exchange = new TcpChannel.Pending(DefaultTcpClient.this.config.writeTimeout(),
						this.call.readTimeout()) {

					@Override
					void sending() {
						Execution.this.sent = true;
					}

					@Override
					void replied(byte[] frame) {
						sink.success(frame);
					}

					@Override
					void failed(Throwable error) {
						sink.error(error);
					}

				};
				channel.start(exchange, this.call.request(), DefaultTcpClient.this.pool);
				sink.onCancel(exchange::cancel);
			});
		}

		private NetworkException attemptFailed(Throwable ex) {
			TcpConfig config = DefaultTcpClient.this.config;
			NetworkException network = TcpErrors.translate(ex, EXCHANGE, config);
			DefaultTcpClient.this.metrics.error(network.kind());
			if (DefaultTcpClient.this.logger.isDebugEnabled()) {
				DefaultTcpClient.this.logger.debug("{} {} attempt {} failed ({} request bytes {}): {}", EXCHANGE,
						config.address(), this.attempt, this.call.request().length,
						this.sent ? "sent" : "not sent", network.getMessage());
			}
			return network;
		}

		private Duration maxWait() {
			Duration maxWait = DefaultTcpClient.this.config.effectiveRateLimitTimeout();
			if (this.deadlineNanos != Long.MAX_VALUE) {
				Duration remaining = Duration.ofNanos(Math.max(0, this.deadlineNanos - System.nanoTime()));
				maxWait = (remaining.compareTo(maxWait) < 0) ? remaining : maxWait;
			}
			return maxWait;
		}

		/**
		 * The attempt, followed on a failure the policy approves by a delay and the next attempt. Written with
		 * onErrorResume rather than retryWhen, which costs a companion publisher per exchange even when nothing
		 * fails.
		 */
		Mono<byte[]> attemptWithRetries() {
			Mono<byte[]> attempt = attempt();
			if (this.call.retries() == 0) {
				return attempt.onErrorMap(this::attemptFailed);
			}
			return attempt.onErrorResume(
					(failure) -> onFailure(attemptFailed(failure)).then(Mono.defer(this::attemptWithRetries)));
		}

		Mono<Long> onFailure(Throwable failure) {
			if (!(failure instanceof NetworkException network)) {
				return Mono.error(failure);
			}
			boolean retryable = switch (network.kind()) {
				case CONNECT, TIMEOUT, PROTOCOL, IO -> true;
				default -> false;
			};
			if (!retryable || this.attempt > this.call.retries()) {
				return Mono.error(failure);
			}
			if (this.sent && !this.call.idempotent()) {
				return Mono.error(refused(network, "the request may have reached the server and the exchange is not "
						+ "idempotent: mark it with exchange(bytes).idempotent() or set idempotent: true"));
			}
			if (this.backOff == null) {
				RetryPolicy configured = DefaultTcpClient.this.retryPolicy;
				this.backOff = ((configured != null && this.call.retries() == DefaultTcpClient.this.config.retries())
						? configured : retryPolicy(this.call.retries())).getBackOff().start();
			}
			long delay = this.backOff.nextBackOff();
			if (delay == BackOffExecution.STOP) {
				return Mono.error(failure);
			}
			if (this.deadlineNanos != Long.MAX_VALUE && System.nanoTime() + delay * 1_000_000 >= this.deadlineNanos) {
				return Mono.error(refused(network, "the next attempt, in " + delay
						+ " ms, would start after the deadline of " + this.call.deadline().toMillis() + " ms"));
			}
			if (DefaultTcpClient.this.logger.isDebugEnabled()) {
				DefaultTcpClient.this.logger.debug("{} {} attempt {} failed ({}), retrying in {} ms", EXCHANGE,
						DefaultTcpClient.this.config.address(), this.attempt, network.kind(), delay);
			}
			return Mono.delay(Duration.ofMillis(delay));
		}

		private NetworkException refused(NetworkException failure, String detail) {
			NetworkException refused = NetworkException.of(failure.kind(),
					failure.getMessage() + " (not retried: " + detail + ")", failure.method(), failure.url(),
					failure.getCause());
			refused.setStackTrace(failure.getStackTrace());
			return refused;
		}

		NetworkException deadlineExceeded() {
			TcpConfig config = DefaultTcpClient.this.config;
			return NetworkException.of(NetworkException.Kind.TIMEOUT,
					EXCHANGE + " " + config.address() + " did not complete within its deadline of "
							+ this.call.deadline().toMillis() + " ms (" + this.attempt + " attempt(s))",
					EXCHANGE, config.address(), new java.util.concurrent.TimeoutException("deadline " + this.call.deadline()));
		}

	}

}
