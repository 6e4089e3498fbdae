package io.pepperpy.network.internal.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

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

	@Test
	void aPauseQueuesTheWaitingCallersBehindItInOrderAndRefusesThoseItWouldHoldTooLong() throws Exception {
		RateGate gate = new RateGate(10, System::nanoTime, (nanos) -> {
		});
		long start = System.nanoTime();
		released(gate, Duration.ofSeconds(5), start).get(1, TimeUnit.SECONDS);
		List<CompletableFuture<Long>> patient = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			patient.add(released(gate, Duration.ofSeconds(5), start));
		}
		CompletableFuture<Long> impatient = released(gate, Duration.ofMillis(450), start);
		gate.pause(Duration.ofMillis(500));
		long paused = System.nanoTime() - start;
		assertThat(impatient).failsWithin(Duration.ofSeconds(1))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOf(PermitUnavailableException.class);
		List<Long> times = new ArrayList<>();
		for (CompletableFuture<Long> call : patient) {
			times.add(call.get(5, TimeUnit.SECONDS));
		}
		// slots were 100 ms apart before the pause; after it, the same order and spacing
		assertThat(times).allSatisfy((t) -> assertThat(t).isGreaterThanOrEqualTo(paused + 490 * MS));
		assertThat(times).isSorted();
		assertThat(times.get(2) - times.get(0)).isGreaterThanOrEqualTo(180 * MS);
	}

	@Test
	void aCallerWhoCancelsLeavesTheQueueAndTheNextOneTakesItsSlot() throws Exception {
		RateGate gate = new RateGate(10, System::nanoTime, (nanos) -> {
		});
		long start = System.nanoTime();
		released(gate, Duration.ofSeconds(5), start).get(1, TimeUnit.SECONDS);
		reactor.core.Disposable cancelled = gate.acquire(Duration.ofSeconds(5)).subscribe();
		cancelled.dispose();
		long next = released(gate, Duration.ofSeconds(5), start).get(1, TimeUnit.SECONDS);
		// the cancelled caller's slot (100 ms) goes to the next one instead of the one after (200 ms)
		assertThat(next).isLessThan(180 * MS);
	}

	@Test
	void callersWhoseTimersFireTogetherAfterAStallGoAsTheShareAllowsEvenPastTheirLongestWait() {
		List<String> outcomes = afterAStall(Duration.ofMillis(600));
		// B and C use the window's share of 2; D and E wait for the next window, past their 400 and 500 ms slots
		// but within their 1 s; F (slot 500 ms, longest wait 600 ms) goes at 700 ms, within one more window
		assertThat(outcomes).containsExactly("A 0", "B 500", "C 500", "D 600", "E 600", "F 700");
	}

	@Test
	void aCallerTheShareWouldHoldPastOneMoreWindowIsRefused() {
		List<String> outcomes = afterAStall(Duration.ofMillis(550));
		// F would go at 700 ms, more than one window past its longest wait of 550 ms: refused once that is known
		assertThat(outcomes).containsExactly("A 0", "B 500", "C 500", "D 600", "E 600", "F refused 600");
	}

	/**
	 * Six callers at 10 per second (a share of 2 per 100 ms) take the slots 0 to 500 ms at once; the JVM then
	 * "stalls": the gate's clock jumps to 500 ms while the timers of B to F fire, then moves on to 600 and 700 ms.
	 */
	private List<String> afterAStall(Duration lastCallersWait) {
		VirtualTimeScheduler timers = VirtualTimeScheduler.getOrSet();
		try {
			RateGate gate = new RateGate(10, this.clock::get, (nanos) -> {
			});
			long start = this.clock.get();
			List<String> outcomes = new CopyOnWriteArrayList<>();
			for (String caller : List.of("A", "B", "C", "D", "E", "F")) {
				Duration maxWait = caller.equals("F") ? lastCallersWait : Duration.ofSeconds(1);
				gate.acquire(maxWait)
					.subscribe(null, (ex) -> outcomes.add(caller + " refused " + (this.clock.get() - start) / MS),
							() -> outcomes.add(caller + " " + (this.clock.get() - start) / MS));
			}
			this.clock.set(start + 500 * MS);
			timers.advanceTimeBy(Duration.ofMillis(500));
			this.clock.set(start + 600 * MS);
			timers.advanceTimeBy(Duration.ofMillis(100));
			this.clock.set(start + 700 * MS);
			timers.advanceTimeBy(Duration.ofMillis(100));
			return outcomes;
		}
		finally {
			VirtualTimeScheduler.reset();
		}
	}

	private static CompletableFuture<Long> released(RateGate gate, Duration maxWait, long start) {
		CompletableFuture<Long> released = new CompletableFuture<>();
		gate.acquire(maxWait)
			.subscribe(null, released::completeExceptionally, () -> released.complete(System.nanoTime() - start));
		return released;
	}

}
