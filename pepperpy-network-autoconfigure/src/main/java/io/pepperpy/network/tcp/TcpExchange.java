package io.pepperpy.network.tcp;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.RetrySettings;
import io.pepperpy.network.internal.AttemptPolicy;
import io.pepperpy.network.internal.Deadline;
import io.pepperpy.network.internal.GuardedAttempt;
import io.pepperpy.network.internal.circuit.CircuitGuard;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import org.springframework.util.backoff.BackOffExecution;

/**
 * One exchange of a {@link TcpClient}: each subscription runs it once, across its attempts. One object per
 * subscription ({@link Execution}) is the subscription, the first attempt's callbacks and the recorder of the
 * outcome, so the common case (an idle connection, no rate limit, no deadline, a reply) costs no Reactor operator;
 * the rest (waiting for a connection or a permit, a deadline, retries) is composed with Reactor.
 */
final class TcpExchange extends Mono<byte[]> {

	static final String EXCHANGE = "EXCHANGE";

	private final DefaultTcpClient client;

	private final Request request;

	TcpExchange(DefaultTcpClient client, Request request) {
		this.client = client;
		this.request = request;
	}

	/** Apply Reactor's assembly hooks (debug traces), as Reactor's own operators do. */
	static Mono<byte[]> assemble(Mono<byte[]> exchange) {
		return onAssembly(exchange);
	}

	@Override
	public void subscribe(CoreSubscriber<? super byte[]> actual) {
		Execution execution = new Execution(this.request, actual);
		actual.onSubscribe(execution);
		execution.start();
	}

	/**
	 * What one exchange needs, worked out once from its spec.
	 */
	record Request(byte[] frame, boolean idempotent, int retries, Duration readTimeout,
			@Nullable Duration deadline) {

	}

	/**
	 * The state of one exchange across its attempts, delivered to the subscriber as its subscription; it records
	 * the outcome once, whichever of reply, failure and cancellation comes first.
	 */
	private final class Execution extends Operators.MonoSubscriber<byte[], byte[]> {

		private static final AtomicIntegerFieldUpdater<Execution> DONE = AtomicIntegerFieldUpdater
			.newUpdater(Execution.class, "done");

		private final Request request;

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

		Execution(Request request, CoreSubscriber<? super byte[]> actual) {
			super(actual);
			this.request = request;
			this.deadlineNanos = Deadline.at(this.startNanos, request.deadline());
		}

		void start() {
			if (isCancelled()) {
				return;
			}
			try {
				TcpExchange.this.client.codec.check(this.request.frame());
			}
			catch (TcpErrors.FrameTooLargeException ex) {
				NetworkException error = TcpErrors.translate(ex, EXCHANGE, TcpExchange.this.client.config);
				TcpExchange.this.client.metrics.error(error.kind());
				finish(error);
				return;
			}
			if (this.request.deadline() == null && TcpExchange.this.client.limiter.isOpen()
					&& TcpExchange.this.client.circuit == null) {
				TcpChannel idle = TcpExchange.this.client.pool.pollIdle();
				if (idle != null) {
					this.attempt++;
					FirstAttempt first = new FirstAttempt();
					this.first = first;
					idle.start(first, this.request.frame(), TcpExchange.this.client.pool);
					if (isCancelled()) {
						first.cancel();
					}
					return;
				}
			}
			Mono<byte[]> result = attemptWithRetries();
			if (this.request.deadline() != null) {
				result = result.timeout(this.request.deadline(), Mono.error(this::deadlineExceeded));
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
				super(TcpExchange.this.client.config.writeTimeout(), Execution.this.request.readTimeout());
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
				if (Execution.this.request.retries() == 0) {
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
				TcpExchange.this.client.metrics.exchange("CANCELLED", "CancellationException",
						System.nanoTime() - this.startNanos);
			}
		}

		private void succeed(byte[] response) {
			if (!DONE.compareAndSet(this, 0, 1)) {
				return;
			}
			long nanos = System.nanoTime() - this.startNanos;
			TcpExchange.this.client.metrics.succeeded(nanos);
			if (TcpExchange.this.client.logger.isDebugEnabled()) {
				TcpExchange.this.client.logger.debug("{} {} sent {} bytes, received {} bytes in {} ms (attempt {})",
						EXCHANGE, TcpExchange.this.client.config.address(), this.request.frame().length,
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
			TcpExchange.this.client.metrics.exchange("ERROR", exception, System.nanoTime() - this.startNanos);
			this.actual.onError(error);
		}

		Mono<byte[]> attempt() {
			this.attempt++;
			this.sent = false;
			TcpConfig config = TcpExchange.this.client.config;
			ChannelPool pool = TcpExchange.this.client.pool;
			// An idle connection is taken at subscription without the acquire's sink and flatMap.
			Mono<byte[]> exchange = Mono.defer(() -> {
				TcpChannel idle = pool.pollIdle();
				return (idle != null) ? exchangeOn(idle)
						: pool.acquire(config.connectTimeout()).flatMap(this::exchangeOn);
			});
			// The circuit admits the attempt once its permit is in hand, right before it is sent; while it waits for
			// the permit, an opening circuit ends the wait (CircuitGuard.awaitPermit).
			CircuitGuard circuit = TcpExchange.this.client.circuit;
			if (circuit != null) {
				exchange = new GuardedAttempt<>(exchange, circuit, EXCHANGE, config.address(),
						TcpExchange.this.client.exchangeOutcome);
			}
			if (!TcpExchange.this.client.limiter.isOpen()) {
				Duration maxWait = Deadline.remaining(this.deadlineNanos, config.effectiveRateLimitTimeout(),
						System.nanoTime());
				exchange = AttemptPolicy
					.permit(TcpExchange.this.client.limiter, maxWait, circuit, EXCHANGE, config.address())
					.then(exchange);
			}
			return exchange;
		}

		private Mono<byte[]> exchangeOn(TcpChannel channel) {
			return Mono.create((sink) -> {
				TcpChannel.Pending exchange = new TcpChannel.Pending(TcpExchange.this.client.config.writeTimeout(),
						this.request.readTimeout()) {

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
				channel.start(exchange, this.request.frame(), TcpExchange.this.client.pool);
				sink.onCancel(exchange::cancel);
			});
		}

		private NetworkException attemptFailed(Throwable ex) {
			TcpConfig config = TcpExchange.this.client.config;
			NetworkException network = TcpErrors.translate(ex, EXCHANGE, config);
			TcpExchange.this.client.metrics.error(network.kind());
			if (TcpExchange.this.client.logger.isDebugEnabled()) {
				TcpExchange.this.client.logger.debug("{} {} attempt {} failed ({} request bytes {}): {}", EXCHANGE,
						config.address(), this.attempt, this.request.frame().length,
						this.sent ? "sent" : "not sent", network.getMessage());
			}
			return network;
		}

		/**
		 * The attempt, followed on a failure the policy approves by a delay and the next attempt. Written with
		 * onErrorResume rather than retryWhen, which costs a companion publisher per exchange even when nothing
		 * fails.
		 */
		Mono<byte[]> attemptWithRetries() {
			Mono<byte[]> attempt = attempt();
			if (this.request.retries() == 0) {
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
			if (!retryable || this.attempt > this.request.retries()) {
				return Mono.error(failure);
			}
			if (this.sent && !this.request.idempotent()) {
				return Mono.error(network.withDetail("the request may have reached the server and the exchange is not "
						+ "idempotent: mark it with exchange(bytes).idempotent() or set idempotent: true"));
			}
			if (this.backOff == null) {
				RetrySettings configured = TcpExchange.this.client.config.retry();
				this.backOff = AttemptPolicy
					.retryPolicy(TcpExchange.this.client.retryPolicy, configured, this.request.retries(),
							configured.delay())
					.getBackOff()
					.start();
			}
			long delay = this.backOff.nextBackOff();
			if (delay == BackOffExecution.STOP) {
				return Mono.error(failure);
			}
			String late = Deadline.refuseNextAttempt(this.deadlineNanos, this.request.deadline(), delay,
					System.nanoTime());
			if (late != null) {
				return Mono.error(network.withDetail(late));
			}
			if (TcpExchange.this.client.logger.isDebugEnabled()) {
				TcpExchange.this.client.logger.debug("{} {} attempt {} failed ({}), retrying in {} ms", EXCHANGE,
						TcpExchange.this.client.config.address(), this.attempt, network.kind(), delay);
			}
			return Mono.delay(Duration.ofMillis(delay));
		}

		NetworkException deadlineExceeded() {
			return Deadline.exceeded(EXCHANGE, TcpExchange.this.client.config.address(), this.request.deadline(),
					this.attempt);
		}

	}

}
