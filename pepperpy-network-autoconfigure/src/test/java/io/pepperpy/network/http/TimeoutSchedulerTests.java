package io.pepperpy.network.http;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The per-attempt timeout's wheel timer fires once the delay has passed, within a tick or so, and not at all once
 * cancelled.
 */
class TimeoutSchedulerTests {

	@Test
	void aTimeoutFiresAfterItsDelayWithinAFewTicks() throws Exception {
		CountDownLatch fired = new CountDownLatch(1);
		long start = System.nanoTime();
		long[] firedAt = new long[1];
		TimeoutScheduler.INSTANCE.schedule(() -> {
			firedAt[0] = System.nanoTime();
			fired.countDown();
		}, 100, TimeUnit.MILLISECONDS);
		assertThat(fired.await(2, TimeUnit.SECONDS)).isTrue();
		long millis = (firedAt[0] - start) / 1_000_000;
		assertThat(millis).isBetween(100L, 100 + 5 * TimeoutScheduler.TICK_MILLIS + 200);
	}

	@Test
	void aCancelledTimeoutNeverFires() throws Exception {
		AtomicBoolean fired = new AtomicBoolean();
		Disposable timeout = TimeoutScheduler.INSTANCE.schedule(() -> fired.set(true), 50, TimeUnit.MILLISECONDS);
		timeout.dispose();
		assertThat(timeout.isDisposed()).isTrue();
		CountDownLatch later = new CountDownLatch(1);
		TimeoutScheduler.INSTANCE.schedule(later::countDown, 150, TimeUnit.MILLISECONDS);
		assertThat(later.await(2, TimeUnit.SECONDS)).isTrue();
		assertThat(fired).isFalse();
	}

	@Test
	void aWorkerRunsItsTasksCancelsThePendingOnesWhenDisposedAndThenRefusesMore() throws Exception {
		Scheduler.Worker worker = TimeoutScheduler.INSTANCE.createWorker();
		CountDownLatch ran = new CountDownLatch(1);
		worker.schedule(ran::countDown, 20, TimeUnit.MILLISECONDS);
		assertThat(ran.await(2, TimeUnit.SECONDS)).isTrue();
		AtomicBoolean pending = new AtomicBoolean();
		worker.schedule(() -> pending.set(true), 100, TimeUnit.MILLISECONDS);
		worker.dispose();
		assertThat(worker.isDisposed()).isTrue();
		assertThatExceptionOfType(RejectedExecutionException.class)
			.isThrownBy(() -> worker.schedule(() -> pending.set(true), 10, TimeUnit.MILLISECONDS));
		CountDownLatch later = new CountDownLatch(1);
		TimeoutScheduler.INSTANCE.schedule(later::countDown, 200, TimeUnit.MILLISECONDS);
		assertThat(later.await(2, TimeUnit.SECONDS)).isTrue();
		assertThat(pending).isFalse();
	}

	@Test
	void monoTimeoutOnItFailsASilentSourceAndLetsAFastOneThrough() {
		Mono<String> silent = Mono.never();
		assertThat(silent.timeout(Duration.ofMillis(50), Mono.just("timed out"), TimeoutScheduler.INSTANCE)
			.block(Duration.ofSeconds(2))).isEqualTo("timed out");
		assertThat(Mono.just("fast").timeout(Duration.ofMillis(50), Mono.just("timed out"), TimeoutScheduler.INSTANCE)
			.block(Duration.ofSeconds(2))).isEqualTo("fast");
	}

}
