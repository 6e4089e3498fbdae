package io.pepperpy.network.tcp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.ScheduledFuture;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.RetrySettings;
import io.pepperpy.network.internal.AttemptOutcome;
import io.pepperpy.network.internal.AttemptPolicy;
import io.pepperpy.network.internal.GuardedAttempt;
import io.pepperpy.network.internal.SettingChecks;
import io.pepperpy.network.internal.TlsSetup;
import io.pepperpy.network.internal.circuit.CircuitGuard;
import io.pepperpy.network.internal.limit.RateGate;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpSslContextSpec;
import reactor.util.retry.Retry;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The {@link TcpClient} implementation: a Reactor Netty TCP connector without its own pool, a {@link ChannelPool}
 * of persistent connections ({@link TcpChannel}) with event-loop affinity, the rate limiter its exchanges share,
 * streams, and the request spec; each exchange runs as a {@link TcpExchange}, whose retry loop is driven by
 * Spring's {@link RetryPolicy} and executed with Reactor timers.
 */
final class DefaultTcpClient implements TcpClient {

	private static final String STREAM = "STREAM";

	private static final Throwable CANCELLED = new CancellationException("cancelled");

	final TcpConfig config;

	final Logger logger;

	final TcpMetrics metrics;

	final RateGate limiter;

	/** The client's circuit breaker, or {@code null} when it has none. */
	final @Nullable CircuitGuard circuit;

	final FrameCodec codec;

	private final reactor.netty.tcp.TcpClient connector;

	final ChannelPool pool;

	/** How the circuit breaker counts an exchange, and a stream's connect. */
	final AttemptOutcome exchangeOutcome = outcome(TcpExchange.EXCHANGE);

	private final AttemptOutcome streamOutcome = outcome(STREAM);

	/** The policy of exchanges that keep the configured retries, built once. */
	final @Nullable RetryPolicy retryPolicy;

	DefaultTcpClient(TcpConfig config, @Nullable MeterRegistry meterRegistry, TlsSetup tls,
			@Nullable CircuitBreakerRegistry circuitBreakers) {
		this.config = config;
		this.logger = LoggerFactory.getLogger(TcpClient.class.getName() + "." + config.name());
		this.metrics = new TcpMetrics(meterRegistry, config.name());
		this.limiter = new RateGate(config.rateLimit().maxPerSecond(), System::nanoTime,
				this.metrics.rateLimitListener());
		this.circuit = CircuitGuard.create(config.name(), "TCP client '" + config.name() + "'",
				config.circuitBreaker(), circuitBreakers, this.logger, meterRegistry, TcpMetrics.PREFIX,
				List.of(Tag.of("client", config.name())));
		this.codec = new FrameCodec(config);
		this.connector = createConnector(config, this.codec, tls, this.logger);
		boolean raw = config.framing() == Framing.RAW;
		this.pool = new ChannelPool(
				this.connector.connect().map((connection) -> new TcpChannel(connection, this.codec, this.metrics, raw)),
				config.poolSize(), config.poolIdleTime());
		this.retryPolicy = (config.retry().maxRetries() > 0) ? config.retry().toRetryPolicy() : null;
		this.metrics.connections(this.pool::acquiredSize, this.pool::idleSize);
	}

	private static reactor.netty.tcp.TcpClient createConnector(TcpConfig config, FrameCodec codec,
			TlsSetup tls, Logger logger) {
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
		if (config.sslBundle() != null && !tls.hasManagers()) {
			throw new IllegalStateException("TCP client '" + config.name() + "' uses ssl-bundle '" + config.sslBundle()
					+ "' but no key or trust managers were given; in Spring Boot the auto-configuration resolves "
					+ "the bundle, standalone pass them with TcpClient.builder().tls(...)");
		}
		boolean verify = config.verifySsl();
		if (!verify) {
			TlsSetup.warnUnverified(logger, "TCP client '" + config.name() + "'");
		}
		return client.secure(
				(ssl) -> tls.configure(ssl, TcpSslContextSpec.forClient(), verify, config.connectTimeout()));
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
		Mono<Connection> attempt = this.connector.connect().cast(Connection.class);
		CircuitGuard circuit = this.circuit;
		// A stream's connect passes the breaker; what the stream does once connected is its own.
		Mono<Connection> guarded = (circuit == null) ? attempt
				: new GuardedAttempt<>(attempt, circuit, STREAM, this.config.address(), this.streamOutcome);
		Mono<Connection> connect = guarded.onErrorMap((ex) -> {
			NetworkException network = TcpErrors.translate(ex, STREAM, this.config);
			this.metrics.error(network.kind());
			return network;
		});
		if (this.config.retry().maxRetries() == 0) {
			return connect;
		}
		return Mono.defer(() -> {
			RetrySettings retry = this.config.retry();
			BackOffExecution backOff = AttemptPolicy
				.retryPolicy(this.retryPolicy, retry, retry.maxRetries(), retry.delay())
				.getBackOff()
				.start();
			return connect.retryWhen(Retry.from((signals) -> signals.concatMap((signal) -> {
				Throwable failure = signal.failure();
				long delay = (failure instanceof NetworkException network
						&& network.kind() == NetworkException.Kind.CONNECT
						&& signal.totalRetries() < this.config.retry().maxRetries())
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

	/**
	 * How the circuit breaker counts an exchange or a stream's connect: a reply (a connection) is a success; a
	 * failure is judged once translated ({@link CircuitGuard#onOutcome}), as the caller will see it.
	 */
	private AttemptOutcome outcome(String operation) {
		return new AttemptOutcome() {

			@Override
			public void answered(CircuitGuard guard, long nanos) {
				guard.onSuccess(nanos);
			}

			@Override
			public Throwable failure(Throwable error) {
				return TcpErrors.translate(error, operation, DefaultTcpClient.this.config);
			}

		};
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

	private final class DefaultExchangeSpec implements ExchangeSpec {

		private final byte[] request;

		private boolean idempotent = DefaultTcpClient.this.config.idempotent();

		private int retries = DefaultTcpClient.this.config.retry().maxRetries();

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
			SettingChecks.check(retries >= 0, "retries", retries, "be 0 or more");
			this.retries = retries;
			return this;
		}

		@Override
		public ExchangeSpec readTimeout(Duration readTimeout) {
			SettingChecks.positive("readTimeout", readTimeout);
			this.readTimeout = readTimeout;
			return this;
		}

		@Override
		public ExchangeSpec deadline(Duration deadline) {
			SettingChecks.positive("deadline", deadline);
			this.deadline = deadline;
			return this;
		}

		@Override
		public Mono<byte[]> retrieve() {
			return TcpExchange.assemble(new TcpExchange(DefaultTcpClient.this,
					new TcpExchange.Request(this.request, this.idempotent, this.retries, this.readTimeout,
							this.deadline)));
		}

	}

}
