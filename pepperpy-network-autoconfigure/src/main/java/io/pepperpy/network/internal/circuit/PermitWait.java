package io.pepperpy.network.internal.circuit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.pepperpy.network.NetworkException;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * An attempt's wait for a rate-limit permit under its circuit ({@link CircuitGuard#awaitPermit}): refused before it
 * starts when the circuit refuses attempts, and ended at once with {@link NetworkException.Kind#CIRCUIT_OPEN} when
 * the circuit opens while it waits. Ending it cancels the limiter's wait, which gives the slot back.
 * <p>
 * Why not race the wait against a Reactor sink completed at the opening ({@code Mono.firstWithSignal}): a sink
 * keeps its subscribers in a copy-on-write array, so each arrival and each departure of N waiters copies it, which
 * is quadratic in the queue a rate limit builds up (rate times {@code rate-limit-timeout}: 30,000 waiters at
 * 1,000 per second and 30 s). Here each waiter joins and leaves a concurrent set of its period once.
 */
final class PermitWait extends Mono<Void> {

	private final CircuitGuard guard;

	private final Mono<Void> permit;

	private final @Nullable String method;

	private final @Nullable String target;

	PermitWait(CircuitGuard guard, Mono<Void> permit, @Nullable String method, @Nullable String target) {
		this.guard = guard;
		this.permit = permit;
		this.method = method;
		this.target = target;
	}

	@Override
	public void subscribe(CoreSubscriber<? super Void> actual) {
		// The period is read before the state: an opening after this read opens this period, or an earlier one.
		Period period = this.guard.period();
		NetworkException refused = this.guard.refuseBeforeWait(this.method, this.target);
		if (refused != null) {
			Operators.error(actual, refused);
			return;
		}
		Waiter waiter = new Waiter(actual, this);
		this.permit.subscribe(waiter);
		period.enlist(waiter);
	}

	/**
	 * The attempts waiting for a permit while the circuit is closed or half-open, all failed together when it
	 * opens. One per period: the opening replaces it with a fresh one.
	 */
	static final class Period {

		private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();

		private volatile boolean opened;

		/**
		 * Add a waiter whose wait has started, unless it already ended; fail it at once if the circuit opened.
		 */
		void enlist(Waiter waiter) {
			if (waiter.upstream == null || waiter.get()) {
				return;
			}
			waiter.period = this;
			this.waiting.add(waiter);
			if (waiter.get()) {
				this.waiting.remove(waiter);
			}
			else if (this.opened) {
				waiter.circuitOpened();
			}
		}

		/**
		 * Return how many attempts wait in this period.
		 */
		int size() {
			return this.waiting.size();
		}

		/**
		 * The circuit opened: fail every waiter of this period, on the calling thread.
		 */
		void open() {
			this.opened = true;
			for (Waiter waiter : this.waiting) {
				waiter.circuitOpened();
			}
			this.waiting.clear();
		}

	}

	/**
	 * One attempt's wait: passes the permit's signal on, or fails the attempt when the circuit opens first. Set
	 * once it ended, whichever way.
	 */
	static final class Waiter extends AtomicBoolean implements CoreSubscriber<Void>, Subscription {

		private final CoreSubscriber<? super Void> actual;

		private final PermitWait wait;

		volatile @Nullable Subscription upstream;

		volatile @Nullable Period period;

		Waiter(CoreSubscriber<? super Void> actual, PermitWait wait) {
			this.actual = actual;
			this.wait = wait;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}

		@Override
		public void onNext(Void value) {
		}

		@Override
		public void onError(Throwable error) {
			if (end()) {
				this.actual.onError(error);
			}
		}

		@Override
		public void onComplete() {
			if (end()) {
				this.actual.onComplete();
			}
		}

		@Override
		public void request(long n) {
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.request(n);
			}
		}

		@Override
		public void cancel() {
			end();
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
		}

		void circuitOpened() {
			if (!compareAndSet(false, true)) {
				return;
			}
			Subscription upstream = this.upstream;
			if (upstream != null) {
				upstream.cancel();
			}
			this.actual.onError(this.wait.guard.refused(this.wait.method, this.wait.target));
		}

		private boolean end() {
			if (!compareAndSet(false, true)) {
				return false;
			}
			Period period = this.period;
			if (period != null) {
				period.waiting.remove(this);
			}
			return true;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

	}

}
