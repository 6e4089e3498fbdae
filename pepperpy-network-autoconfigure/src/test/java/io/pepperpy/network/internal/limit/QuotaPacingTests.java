package io.pepperpy.network.internal.limit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The local gate paced by a partner's advertised quota ({@link RateGate#quota}), on a clock the test moves: the
 * wait a caller would have is read from the refusal of a call that accepts none, which reserves nothing.
 */
class QuotaPacingTests {

	private static final long MS = 1_000_000L;

	private final AtomicLong clock = new AtomicLong(1_000_000 * MS);

	private final AtomicInteger held = new AtomicInteger();

	private final RateLimitListener listener = new RateLimitListener() {

		@Override
		public void waited(long nanos) {
		}

		@Override
		public void heldForQuota() {
			QuotaPacingTests.this.held.incrementAndGet();
		}

	};

	private RateGate gate(int permitsPerSecond) {
		return new RateGate(permitsPerSecond, this.clock::get, this.listener);
	}

	/** The wait the next caller would have, in milliseconds. */
	private static long nextWaitMillis(RateGate gate) {
		return assertThatExceptionOfType(PermitUnavailableException.class)
			.isThrownBy(() -> gate.acquire(Duration.ZERO).block())
			.actual()
			.waitTime()
			.toMillis();
	}

	@Test
	void aGateWithoutLimitStaysOpenUntilThePartnerAdvertisesAQuota() {
		RateGate gate = gate(0);
		assertThat(gate.isOpen()).isTrue();
		gate.quota(10, 1000 * MS);
		assertThat(gate.isOpen()).isFalse();
	}

	@Test
	void spreadsWhatIsLeftOverTheTimeToTheReset() {
		RateGate gate = gate(0);
		gate.quota(10, 1000 * MS);
		gate.acquire(Duration.ZERO).block();
		assertThat(nextWaitMillis(gate)).isEqualTo(100);
		this.clock.addAndGet(100 * MS);
		gate.acquire(Duration.ZERO).block();
		// 900 ms left for 9 requests less the one sent: 8 over 800 ms from the next slot.
		assertThat(nextWaitMillis(gate)).isEqualTo(100);
	}

	@Test
	void neverFasterThanMaxRateLimit() {
		RateGate gate = gate(100);
		gate.quota(1000, 1000 * MS);
		gate.acquire(Duration.ZERO).block();
		assertThat(nextWaitMillis(gate)).isEqualTo(10);
	}

	@Test
	void keepsTheEarliestResetAPartnerSaysInOneWindow() {
		RateGate gate = gate(0);
		// A reset in whole seconds is rounded up: 2 s at first, then 1 s said 300 ms later is the tighter bound.
		gate.quota(10, 2000 * MS);
		this.clock.addAndGet(300 * MS);
		gate.quota(10, 1000 * MS);
		gate.acquire(Duration.ZERO).block();
		assertThat(nextWaitMillis(gate)).isEqualTo(100);
	}

	@Test
	void atNoneLeftCallersAreHeldUntilTheResetOrRefusedNamingIt() {
		RateGate gate = gate(0);
		gate.quota(0, 40 * MS);
		assertThatExceptionOfType(PermitUnavailableException.class)
			.isThrownBy(() -> gate.acquire(Duration.ofMillis(10)).block())
			.withMessageStartingWith("the partner's quota is spent until it resets at ")
			.withMessageContaining("a permit would take 40 ms");
		assertThat(this.held).hasValue(0);
		gate.acquire(Duration.ofSeconds(1)).block();
		assertThat(this.held).hasValue(1);
	}

	@Test
	void aRetryAfterPauseStillWins() {
		RateGate gate = gate(0);
		gate.quota(10, 1000 * MS);
		gate.pause(Duration.ofSeconds(2));
		assertThat(nextWaitMillis(gate)).isEqualTo(2000);
	}

	@Test
	void pacingStopsASecondAfterTheResetWhenThePartnerSaysNoMore() {
		RateGate gate = gate(0);
		gate.quota(0, 1000 * MS);
		this.clock.addAndGet(2001 * MS);
		gate.acquire(Duration.ZERO).block();
		assertThat(gate.isOpen()).isTrue();
	}

	@Test
	void aLaterResetStartsANewWindow() {
		RateGate gate = gate(0);
		gate.quota(0, 1000 * MS);
		this.clock.addAndGet(500 * MS);
		// The partner's reset moved a window on: its quota came back.
		gate.quota(19, 2000 * MS);
		gate.acquire(Duration.ZERO).block();
		assertThat(nextWaitMillis(gate)).isEqualTo(105);
	}

}
