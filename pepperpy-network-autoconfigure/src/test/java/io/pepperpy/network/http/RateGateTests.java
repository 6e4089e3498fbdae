package io.pepperpy.network.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limiter's share per window, held at release: callers whose timers fire late and together (after a pause of
 * the JVM or the machine) are spread out again instead of reaching the server in one burst.
 */
class RateGateTests {

	private static final long MS = 1_000_000L;

	private final AtomicLong clock = new AtomicLong(1_000_000 * MS);

	@Test
	void releasesAtMostATenthOfTheRatePlusOneInAnyHundredMilliseconds() {
		RateGate gate = new RateGate(100, this.clock::get, (nanos) -> {
		});
		long now = this.clock.get();
		for (int i = 0; i < 11; i++) {
			assertThat(gate.release(now + i)).as("permit %d", i + 1).isZero();
		}
		assertThat(gate.release(now + 11)).isEqualTo(100 * MS - 11);
		assertThat(gate.release(now + 100 * MS - 1)).isEqualTo(1);
		assertThat(gate.release(now + 100 * MS)).isZero();
		assertThat(gate.release(now + 100 * MS + 1)).isZero();
		assertThat(gate.release(now + 100 * MS + 1)).isEqualTo(1);
	}

	@Test
	void aWaiterWhoseTimerFiredInABurstIsHeldBackAndStillGoes() {
		RateGate gate = new RateGate(10, this.clock::get, (nanos) -> {
		});
		long now = this.clock.get();
		assertThat(gate.release(now)).isZero();
		assertThat(gate.release(now)).isZero();
		long wait = gate.release(now);
		assertThat(wait).isEqualTo(100 * MS);
		assertThat(gate.release(now + wait)).isZero();
	}

	@Test
	void aLimitAboveOneHundredThousandPerSecondHasNoWindowToHold() {
		RateGate gate = new RateGate(1_000_000, this.clock::get, (nanos) -> {
		});
		for (int i = 0; i < 1_000; i++) {
			assertThat(gate.release(this.clock.get())).isZero();
		}
		assertThat(gate.interval()).isEqualTo(Duration.ofNanos(1_000));
	}

}
