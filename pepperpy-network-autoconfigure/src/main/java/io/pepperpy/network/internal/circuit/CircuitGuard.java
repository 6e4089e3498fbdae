package io.pepperpy.network.internal.circuit;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import reactor.core.publisher.Mono;

/**
 * One client's circuit breaker, around a resilience4j {@link CircuitBreaker}: it admits each attempt or refuses it
 * with a {@link NetworkException.Kind#CIRCUIT_OPEN} failure, and is told how each admitted attempt ended. Nothing
 * here waits: the breakers made from our settings keep their window in resilience4j's lock-free ring, and the
 * circuit moves from open to half-open when an attempt asks after the wait, so no timer thread is needed.
 * <p>
 * Why resilience4j: its breaker is what Spring users know, with its settings' names, its actuator endpoints and
 * health; when the application configures an instance of the client's name in resilience4j's registry, that one is
 * used. What is ours is which outcomes count ({@link #onOutcome}, {@link #onResponse}), the operator that asks and
 * tells it around each attempt of both clients ({@code internal.GuardedAttempt}), and the meters and log lines.
 */
public final class CircuitGuard {

	private final CircuitBreaker breaker;

	private final String owner;

	private final @Nullable Counter notPermitted;

	private final Logger logger;

	/**
	 * The state as this guard last saw it. Changes are found by comparing after each admission and outcome rather
	 * than by subscribing to resilience4j's events: with a subscriber, resilience4j makes an event object (and
	 * reads the wall clock) for every recorded attempt.
	 */
	private final AtomicReference<CircuitBreaker.State> lastState;

	/** When the circuit last opened, for the time left until it lets probes through. */
	private volatile long openedAtNanos = System.nanoTime();

	/**
	 * The attempts waiting for a rate-limit permit until the circuit next opens ({@link #awaitPermit}); replaced
	 * by a fresh one by the one thread whose {@link #noticeTransition} saw the opening, which fails them all.
	 */
	private final AtomicReference<PermitWait.Period> period = new AtomicReference<>(new PermitWait.Period());

	private CircuitGuard(CircuitBreaker breaker, String owner, Logger logger, @Nullable MeterRegistry registry,
			String meterPrefix, List<Tag> tags) {
		this.breaker = breaker;
		this.owner = owner;
		this.logger = logger;
		this.lastState = new AtomicReference<>(breaker.getState());
		if (registry != null) {
			for (CircuitBreaker.State state : List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN,
					CircuitBreaker.State.HALF_OPEN)) {
				Gauge.builder(meterPrefix + "circuit.state", breaker, (cb) -> (cb.getState() == state) ? 1 : 0)
					.description("1 for the circuit breaker's current state, 0 for the others")
					.tags(tags)
					.tag("state", state.name().toLowerCase(Locale.ROOT))
					.register(registry);
			}
			this.notPermitted = Counter.builder(meterPrefix + "circuit.not.permitted")
				.description("Attempts refused at once because the circuit breaker was open")
				.tags(tags)
				.register(registry);
		}
		else {
			this.notPermitted = null;
		}
	}

	/**
	 * Create the guard of a client, or return {@code null} when its circuit breaker is off.
	 * @param name the client's name, which is also the breaker's name
	 * @param owner the client as messages name it, such as {@code HTTP client 'partner'}
	 * @param settings the client's settings
	 * @param breakers resilience4j's registry, or {@code null}: an instance of the client's name in it is used as is;
	 * otherwise one made from the settings is added to it
	 * @param logger where the state changes are logged
	 * @param registry where the meters go, or {@code null} for none
	 * @param meterPrefix the client's meter prefix, such as {@code pepperpy.http.client.}
	 * @param tags the client's meter tags
	 * @return the guard, or {@code null}
	 */
	public static @Nullable CircuitGuard create(String name, String owner, CircuitBreakerSettings settings,
			@Nullable CircuitBreakerRegistry breakers, Logger logger, @Nullable MeterRegistry registry,
			String meterPrefix, List<Tag> tags) {
		if (!settings.enabled()) {
			return null;
		}
		CircuitBreaker breaker = (breakers != null)
				? breakers.find(name).orElseGet(() -> breakers.circuitBreaker(name, settings.toResilience4jConfig()))
				: CircuitBreaker.of(name, settings.toResilience4jConfig());
		return new CircuitGuard(breaker, owner, logger, registry, meterPrefix, tags);
	}

	/**
	 * Wait for an attempt's rate-limit permit, under the circuit: an attempt the circuit refuses now fails at once
	 * and takes no permit; one whose circuit opens while it waits fails at once with
	 * {@link NetworkException.Kind#CIRCUIT_OPEN} and cancels its wait, which gives its slot back to the limiter.
	 * The attempt must still be admitted ({@link #admit}) once the permit is in hand, right before it is sent: the
	 * circuit decides when the attempt goes, not when it starts waiting.
	 * <p>
	 * The check before the wait asks nothing of the breaker while it is closed; when it is not, it asks for a
	 * permission and gives it back at once, which is how an open circuit whose wait is over moves to half-open.
	 * @param permit the wait for the permit, from the client's {@code PermitGate}
	 * @param method the HTTP method or exchange, for the refusal
	 * @param target the URL or address, for the refusal
	 * @return the wait, which completes when the attempt may be admitted and sent
	 */
	public Mono<Void> awaitPermit(Mono<Void> permit, @Nullable String method, @Nullable String target) {
		return new PermitWait(this, permit, method, target);
	}

	PermitWait.Period period() {
		return this.period.get();
	}

	/**
	 * The check before a wait for a permit: nothing to ask while the circuit is closed; otherwise a permission,
	 * given back at once (the attempt asks again when it is sent).
	 */
	@Nullable NetworkException refuseBeforeWait(@Nullable String method, @Nullable String target) {
		if (this.breaker.getState() == CircuitBreaker.State.CLOSED) {
			return null;
		}
		NetworkException refused = admit(method, target);
		if (refused == null) {
			this.breaker.releasePermission();
		}
		return refused;
	}

	/**
	 * Ask to start an attempt, right before it is sent. When it is admitted, exactly one of {@link #onSuccess},
	 * {@link #onFailure} or {@link #release} must follow.
	 * @param method the HTTP method or exchange, for the refusal
	 * @param target the URL or address, for the refusal
	 * @return {@code null} when admitted, else the failure to end the attempt with
	 */
	public @Nullable NetworkException admit(@Nullable String method, @Nullable String target) {
		if (this.breaker.tryAcquirePermission()) {
			noticeTransition();
			return null;
		}
		noticeTransition();
		return refused(method, target);
	}

	NetworkException refused(@Nullable String method, @Nullable String target) {
		if (this.notPermitted != null) {
			this.notPermitted.increment();
		}
		return NetworkException.of(NetworkException.Kind.CIRCUIT_OPEN, refusal(), method, target, null);
	}

	/**
	 * Record an admitted attempt the partner answered well (or the caller got wrong).
	 * @param nanos how long it took
	 */
	public void onSuccess(long nanos) {
		this.breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
		noticeTransition();
	}

	/**
	 * Record an admitted attempt that failed because of the partner or the way to it.
	 * @param nanos how long it took
	 * @param failure the failure
	 */
	public void onFailure(long nanos, Throwable failure) {
		this.breaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
		noticeTransition();
	}

	/**
	 * Record how an admitted attempt ended, by the rule both clients share: connect, TLS, timeout, protocol and
	 * I/O failures and 5xx statuses are failures of the partner; an answer, a 4xx status and a body that could not
	 * be read are successes; a 429 (a rate limit, which already pauses the client), and failures of the client's
	 * own making (its limiter, pool, interceptors, an invalid request) are not recorded.
	 * @param nanos how long the attempt took
	 * @param error what it failed with, or {@code null} when it succeeded
	 */
	public void onOutcome(long nanos, @Nullable Throwable error) {
		if (error == null) {
			onSuccess(nanos);
			return;
		}
		if (!(error instanceof NetworkException network)) {
			release();
			return;
		}
		switch (network.kind()) {
			case CONNECT, TIMEOUT, TLS, PROTOCOL, IO -> onFailure(nanos, error);
			case STATUS -> onStatus(nanos, network.status(), network, network.method(), network.url());
			case DECODING, BODY_TOO_LARGE -> onSuccess(nanos);
			default -> release();
		}
	}

	/**
	 * Record an admitted attempt that ended with a response, by its status as {@link #onOutcome} counts a status
	 * failure: a 5xx is a failure of the partner, a 429 is not recorded, any other status is a success.
	 * @param nanos how long the attempt took
	 * @param status the response's status
	 * @param method the HTTP method, for the failure resilience4j records
	 * @param target the URL as it may be shown, for the failure resilience4j records
	 */
	public void onResponse(long nanos, int status, @Nullable String method, @Nullable String target) {
		onStatus(nanos, status, null, method, target);
	}

	private void onStatus(long nanos, int status, @Nullable NetworkException failure, @Nullable String method,
			@Nullable String target) {
		if (status >= 500) {
			onFailure(nanos, (failure != null) ? failure : NetworkException.of(NetworkException.Kind.STATUS,
					method + " " + target + " answered " + status, method, target, null));
		}
		else if (status == 429) {
			release();
		}
		else {
			onSuccess(nanos);
		}
	}

	/**
	 * Give back an admitted attempt's permission without recording it: it was cancelled, or ended for a reason
	 * that says nothing of the partner.
	 */
	public void release() {
		this.breaker.releasePermission();
		noticeTransition();
	}

	/**
	 * Return the circuit's state, as the actuator shows it.
	 * @return {@code closed}, {@code open}, {@code half_open}, or another resilience4j state in lower case
	 */
	public String state() {
		return this.breaker.getState().name().toLowerCase(Locale.ROOT);
	}

	private String refusal() {
		CircuitBreaker.Metrics metrics = this.breaker.getMetrics();
		CircuitBreaker.State state = this.breaker.getState();
		if (state == CircuitBreaker.State.HALF_OPEN) {
			return this.owner + ": the circuit breaker is half-open and its probes are still running; the attempt"
					+ " was not sent";
		}
		Long waitMillis = this.breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
		long left = Math.max(0, Duration.ofMillis((waitMillis != null) ? waitMillis : 0).toNanos()
				- (System.nanoTime() - this.openedAtNanos));
		return this.owner + ": the circuit breaker is " + state.name().toLowerCase(Locale.ROOT) + " (failure rate "
				+ rate(metrics.getFailureRate()) + ", slow-call rate " + rate(metrics.getSlowCallRate())
				+ " over the last " + metrics.getNumberOfBufferedCalls()
				+ " attempts), so the attempt was not sent; it lets probes through in about "
				+ Math.max(1, TimeUnit.NANOSECONDS.toSeconds(left + 999_999_999L)) + " s";
	}

	/**
	 * Act on the state change the last call made, once: fail the attempts waiting for a permit when the circuit
	 * opens; log one WARN when it opens, one INFO when it closes.
	 */
	private void noticeTransition() {
		CircuitBreaker.State now = this.breaker.getState();
		CircuitBreaker.State before = this.lastState.get();
		if (now == before || !this.lastState.compareAndSet(before, now)) {
			return;
		}
		if (now == CircuitBreaker.State.OPEN) {
			this.openedAtNanos = System.nanoTime();
			CircuitBreaker.Metrics metrics = this.breaker.getMetrics();
			this.logger.warn("{}: circuit breaker opened (failure rate {}, slow-call rate {} over the last {} "
					+ "attempts); attempts fail at once with CIRCUIT_OPEN until it probes again", this.owner,
					rate(metrics.getFailureRate()), rate(metrics.getSlowCallRate()),
					metrics.getNumberOfBufferedCalls());
		}
		else if (now == CircuitBreaker.State.CLOSED) {
			this.logger.info("{}: circuit breaker closed, the probes succeeded", this.owner);
		}
		else {
			this.logger.debug("{}: circuit breaker {} -> {}", this.owner, before, now);
		}
		if (now == CircuitBreaker.State.OPEN || now == CircuitBreaker.State.FORCED_OPEN) {
			// Attempts still waiting for a permit fail now, on this thread, rather than when their permit comes.
			this.period.getAndSet(new PermitWait.Period()).open();
		}
	}


	private static String rate(float percent) {
		return (percent < 0) ? "n/a" : String.format(Locale.ROOT, "%.1f %%", percent);
	}

}
