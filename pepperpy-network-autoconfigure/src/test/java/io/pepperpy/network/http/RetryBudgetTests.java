package io.pepperpy.network.http;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RetryBudget} on a controlled clock.
 */
class RetryBudgetTests {

	private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

	@Test
	void retriesMayAddAtMostThePercentageOfCalls() {
		RetryBudget budget = new RetryBudget(20, 0, this.now::get);
		for (int i = 0; i < 100; i++) {
			budget.recordCall();
		}
		int allowed = 0;
		while (budget.tryRetry()) {
			allowed++;
		}
		assertThat(allowed).isEqualTo(20);
	}

	@Test
	void aQuietClientCanStillRetryUpToTheFloor() {
		RetryBudget budget = new RetryBudget(20, 2, this.now::get);
		budget.recordCall();
		int allowed = 0;
		while (budget.tryRetry()) {
			allowed++;
		}
		assertThat(allowed).isEqualTo(20);
	}

	@Test
	void theWindowSlides() {
		RetryBudget budget = new RetryBudget(0, 1, this.now::get);
		for (int i = 0; i < 10; i++) {
			assertThat(budget.tryRetry()).isTrue();
		}
		assertThat(budget.tryRetry()).isFalse();
		this.now.addAndGet(5_000_000_000L);
		assertThat(budget.tryRetry()).isFalse();
		this.now.addAndGet(6_000_000_000L);
		assertThat(budget.remaining()).isEqualTo(10);
		assertThat(budget.tryRetry()).isTrue();
	}

}
