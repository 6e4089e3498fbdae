package io.pepperpy.network.internal.circuit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import io.pepperpy.network.internal.limit.RateGate;
import io.pepperpy.network.internal.limit.RateLimitListener;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wait for a rate-limit permit under a circuit ({@link CircuitGuard#awaitPermit}) with a real resilience4j
 * breaker and a real {@link RateGate}: what an opening does to the waiters, and that a wait leaves nothing behind
 * whichever way it ends.
 */
class CircuitGuardTests {

	/** Opens once 2 of the last 2 recorded attempts failed; probes 1 attempt after 10 s. */
	private static final CircuitBreakerSettings TWO = new CircuitBreakerSettings(true, 50, 100, Duration.ofSeconds(10),
			2, SlidingWindowType.COUNT_BASED, 2, Duration.ofSeconds(10), 1);

	private final CircuitGuard guard = CircuitGuard.create("partner", "test client 'partner'", TWO, null,
			LoggerFactory.getLogger(CircuitGuardTests.class), null, "test.", List.of());

	private void open() {
		for (int i = 0; i < 2; i++) {
			assertThat(this.guard.admit("GET", "/x")).isNull();
			this.guard.onFailure(1_000, new IllegalStateException("down"));
		}
		assertThat(this.guard.state()).isEqualTo("open");
	}

	@Test
	void anOpeningFailsEveryWaiterAtOnceAndCancelsItsWait() {
		RateGate gate = new RateGate(1, System::nanoTime, RateLimitListener.NONE);
		AtomicInteger cancelled = new AtomicInteger();
		List<Throwable> failures = new ArrayList<>();
		List<Disposable> waits = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			// At one permit per second, all but the first wait for seconds.
			waits.add(this.guard.awaitPermit(gate.acquire(Duration.ofMinutes(1)).doOnCancel(cancelled::incrementAndGet),
					"GET", "/x").subscribe(null, failures::add));
		}
		assertThat(failures).isEmpty();
		assertThat(this.guard.period().size()).isEqualTo(49);
		open();
		assertThat(failures).hasSize(49)
			.allSatisfy((failure) -> assertThat(failure).isInstanceOfSatisfying(NetworkException.class,
					(network) -> assertThat(network.kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN)));
		assertThat(cancelled).hasValue(49);
		assertThat(this.guard.period().size()).isZero();
		// The slots came back: the next caller after the one that went first waits one interval, not 50.
		long start = System.nanoTime();
		Mono<Void> next = gate.acquire(Duration.ofMinutes(1));
		assertThat(next.block(Duration.ofSeconds(5))).isNull();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
		waits.forEach(Disposable::dispose);
	}

	@Test
	void anOpenCircuitRefusesBeforeTheWaitAndTakesNoPermit() {
		open();
		AtomicInteger subscribed = new AtomicInteger();
		Throwable refused = this.guard.awaitPermit(Mono.<Void>empty().doOnSubscribe((s) -> subscribed.incrementAndGet()),
				"GET", "/x").then(Mono.<Throwable>empty()).onErrorResume(Mono::just).block(Duration.ofSeconds(1));
		assertThat(refused).isInstanceOfSatisfying(NetworkException.class,
				(network) -> assertThat(network.kind()).isEqualTo(NetworkException.Kind.CIRCUIT_OPEN));
		assertThat(subscribed).as("the limiter was not asked").hasValue(0);
	}

	@Test
	void waitsThatEndAnyOtherWayLeaveNothingBehind() {
		RateGate gate = new RateGate(1_000, System::nanoTime, RateLimitListener.NONE);
		for (int i = 0; i < 200; i++) {
			assertThat(this.guard.awaitPermit(gate.acquire(Duration.ofSeconds(5)), "GET", "/x")
				.block(Duration.ofSeconds(5))).isNull();
		}
		Throwable denied = this.guard.awaitPermit(Mono.error(new IllegalStateException("denied")), "GET", "/x")
			.then(Mono.<Throwable>empty())
			.onErrorResume(Mono::just)
			.block(Duration.ofSeconds(1));
		assertThat(denied).hasMessage("denied");
		Disposable cancelled = this.guard.awaitPermit(Mono.never(), "GET", "/x").subscribe();
		assertThat(this.guard.period().size()).isEqualTo(1);
		cancelled.dispose();
		assertThat(this.guard.period().size()).isZero();
		assertThat(this.guard.state()).isEqualTo("closed");
	}

}
