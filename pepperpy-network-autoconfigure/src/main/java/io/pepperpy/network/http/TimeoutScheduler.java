package io.pepperpy.network.http;

import java.util.concurrent.TimeUnit;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.concurrent.DefaultThreadFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Exceptions;
import reactor.core.scheduler.Scheduler;

/**
 * The scheduler of the per-attempt timeout: Netty's {@link HashedWheelTimer} behind Reactor's {@link Scheduler}, so
 * arming and cancelling a timeout costs a queue insertion instead of a {@code ScheduledThreadPoolExecutor}'s locked
 * heap. Nearly every attempt arms one and cancels it a few milliseconds later; at 256 requests in flight on one core
 * the parallel scheduler's heap cost about a fifth of the client's throughput ({@code Compare WEBCLIENT,OURS JSON
 * 256}: 0.88 to 0.93 x plain WebClient with it, 1.09 to 1.13 x without).
 * <p>
 * A timeout fires within one tick ({@value #TICK_MILLIS} ms) after it is due. One timer serves every client; its
 * daemon thread starts with the first timeout armed, so nothing runs before the first request. Retry delays and the
 * rate limiter stay on Reactor's parallel scheduler, which is precise.
 */
final class TimeoutScheduler implements Scheduler {

	static final long TICK_MILLIS = 10;

	static final TimeoutScheduler INSTANCE = new TimeoutScheduler();

	private final HashedWheelTimer timer = new HashedWheelTimer(new DefaultThreadFactory("pepperpy-timeout", true),
			TICK_MILLIS, TimeUnit.MILLISECONDS, 512);

	private TimeoutScheduler() {
	}

	@Override
	public Disposable schedule(Runnable task) {
		return schedule(task, 0, TimeUnit.MILLISECONDS);
	}

	@Override
	public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
		Timeout timeout = this.timer.newTimeout((expired) -> task.run(), delay, unit);
		return new Disposable() {

			@Override
			public void dispose() {
				timeout.cancel();
			}

			@Override
			public boolean isDisposed() {
				return timeout.isCancelled() || timeout.isExpired();
			}

		};
	}

	@Override
	public Worker createWorker() {
		Disposable.Composite tasks = Disposables.composite();
		return new Worker() {

			@Override
			public Disposable schedule(Runnable task) {
				return schedule(task, 0, TimeUnit.MILLISECONDS);
			}

			@Override
			public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
				// Each task leaves the worker's set when it runs or is cancelled, so a long-lived worker holds only
				// its pending tasks.
				Disposable.Swap slot = Disposables.swap();
				if (!tasks.add(slot)) {
					throw Exceptions.failWithRejected();
				}
				slot.update(TimeoutScheduler.this.schedule(() -> {
					tasks.remove(slot);
					task.run();
				}, delay, unit));
				return new Disposable() {

					@Override
					public void dispose() {
						tasks.remove(slot);
						slot.dispose();
					}

					@Override
					public boolean isDisposed() {
						return slot.isDisposed();
					}

				};
			}

			@Override
			public void dispose() {
				tasks.dispose();
			}

			@Override
			public boolean isDisposed() {
				return tasks.isDisposed();
			}

		};
	}

	@Override
	public void dispose() {
		// Shared by every client for the life of the JVM, like Reactor's own schedulers; its thread is a daemon.
	}

}
