package io.pepperpy.network.internal.limit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * The client's rate limiter: hands out one permit per {@code 1/R} second slot, so no window carries more than
 * its share plus one, and never blocks a thread (a caller whose slot is in the future waits on a Reactor timer).
 * The share is held again at release (at most {@code R/10 + 1} permits in any 100 ms): callers whose timers fire
 * late and together, after a pause of the JVM or of a busy machine, are spread out instead of sent in a burst.
 * <p>
 * Three things resilience4j's {@code AtomicRateLimiter} cannot do are the reason this class exists: a caller
 * that cancels while waiting gives its slot back (the next caller takes it, so no permit is wasted); each call
 * has its own longest wait (its deadline), decided before a slot is reserved; and a server's {@code Retry-After}
 * on a 429 pauses every caller of the client, including those already waiting.
 * <p>
 * Public so that the HTTP and TCP clients share it; like everything in {@code internal}, not part of the API.
 */
public final class RateGate implements PermitGate {

	private static final Mono<Void> NOW = Mono.empty();

	/**
	 * Waits this short are not worth a timer: the caller goes at once.
	 */
	static final long EARLY_RELEASE_NANOS = 50_000;

	private final long intervalNanos;

	/**
	 * The window whose share is enforced at release: a caller released late (its timer fired after a stall of the
	 * JVM or the machine) must not go together with every other late one.
	 */
	static final long WINDOW_NANOS = 100_000_000L;

	/**
	 * How long after a quota's reset it keeps pacing (at its last interval) while the partner says nothing new.
	 */
	static final long QUOTA_GRACE_NANOS = 1_000_000_000L;

	/**
	 * The least a caller waits before asking again for a slot beyond the partner's described window.
	 */
	static final long ASK_AGAIN_NANOS = 10_000_000L;

	/**
	 * Release times of the last {@code R/10 + 1} permits (a ring; the oldest at {@link #windowNext}), or
	 * {@code null} above 100,000 permits per second, where slots are closer than a timer can be precise.
	 */
	private final long @Nullable [] window;

	private int windowNext;

	private final LongSupplier clock;

	private final RateLimitListener listener;

	private final Object lock = new Object();

	/**
	 * Earliest time the next fresh slot may be handed out.
	 */
	private long frontier;

	/**
	 * Future slots given back by callers that cancelled.
	 */
	private final TreeSet<Long> returned = new TreeSet<>();

	/**
	 * Callers whose slot came while the window's share was used up, in the order their slots came. One timer
	 * releases them as the share allows ({@link #drain()}); a caller whose slot comes while any is held queues
	 * behind them.
	 */
	private final ArrayDeque<Held> held = new ArrayDeque<>();

	/**
	 * Whether a {@link #drain()} is scheduled.
	 */
	private boolean draining;

	private volatile long pausedUntil;

	private volatile boolean paused;

	/**
	 * Whether the partner's advertised quota paces the gate ({@link #quota}); the fields below are read and written
	 * under the lock.
	 */
	private volatile boolean pacing;

	/** When the partner's quota resets: the earliest of what its responses in this window said. */
	private long quotaResetAt;

	/** Requests left until then: the least the partner said, less the permits handed out since. */
	private long quotaLeft;

	/** The last interval the quota asked for, kept after the reset until the partner says more. */
	private long quotaStep;

	/** Whether a caller has gone at (or after) the reset to learn the partner's next window. */
	private boolean quotaProbed;

	/**
	 * Create a gate.
	 * @param permitsPerSecond permits per second, 0 for no limit (only pauses)
	 * @param clock a nanosecond clock
	 * @param listener told how long each permit took
	 */
	public RateGate(int permitsPerSecond, LongSupplier clock, RateLimitListener listener) {
		this.intervalNanos = (permitsPerSecond > 0) ? Math.max(1, 1_000_000_000L / permitsPerSecond) : 0;
		this.clock = clock;
		this.listener = listener;
		this.frontier = clock.getAsLong() - this.intervalNanos;
		if (permitsPerSecond > 0 && permitsPerSecond <= 100_000) {
			this.window = new long[permitsPerSecond / 10 + 1];
			java.util.Arrays.fill(this.window, Long.MIN_VALUE / 2);
		}
		else {
			this.window = null;
		}
	}

	/**
	 * Under the lock: release a permit now if no window of {@link #WINDOW_NANOS} would then hold more than
	 * {@code R/10 + 1} of them, and return 0; otherwise return how long to wait before trying again. Slots are
	 * {@code 1/R} apart, so this only holds back callers whose timers fired late and together.
	 */
	long release(long now) {
		long[] window = this.window;
		if (window == null) {
			return 0;
		}
		long earliest = window[this.windowNext] + WINDOW_NANOS;
		if (earliest > now) {
			return earliest - now;
		}
		window[this.windowNext] = now;
		this.windowNext = (this.windowNext + 1 == window.length) ? 0 : this.windowNext + 1;
		return 0;
	}

	/**
	 * Return whether a caller may go without asking: no limit and no pause.
	 * @return whether the gate is open
	 */
	@Override
	public boolean isOpen() {
		return this.intervalNanos == 0 && !this.paused && !this.pacing;
	}

	/**
	 * Wait for a permit (public for the TCP client, which shares this limiter).
	 * @param maxWait the longest the caller accepts to wait
	 * @return a {@code Mono} that completes when the caller may send
	 */
	@Override
	public Mono<Void> acquire(Duration maxWait) {
		if (this.intervalNanos == 0 && !this.paused && !this.pacing) {
			return NOW;
		}
		return Mono.defer(() -> acquire(maxWait.toNanos(), this.clock.getAsLong(), false));
	}

	private Mono<Void> acquire(long maxWaitNanos, long start, boolean again) {
		long now = this.clock.getAsLong();
		long slot;
		boolean quotaHold = false;
		long askAgain = 0;
		synchronized (this.lock) {
			long pause = this.pausedUntil;
			if (pause <= now && this.paused) {
				this.paused = false;
			}
			boolean quota = this.pacing && quotaActive(now);
			if (this.intervalNanos == 0 && !quota) {
				slot = Math.max(now, pause);
				if (slot - now > maxWaitNanos) {
					this.listener.denied();
					return Mono.error(new PermitUnavailableException(Duration.ofNanos(slot - now),
							Duration.ofNanos(maxWaitNanos)));
				}
			}
			else {
				Long reused = null;
				if (!this.returned.isEmpty()) {
					reused = this.returned.ceiling(Math.max(now, pause));
					this.returned.headSet(Math.max(now, pause)).clear();
				}
				if (reused != null) {
					this.returned.remove(reused);
					slot = reused;
				}
				else {
					slot = Math.max(Math.max(this.frontier, now), pause);
				}
				long step = this.intervalNanos;
				boolean inQuota = false;
				boolean probe = false;
				long askAgainAt = 0;
				if (quota && reused == null) {
					if (slot - this.quotaResetAt < 0 && this.quotaLeft > 0) {
						// Spread what is left over the time left, never faster than max-rate-limit.
						this.quotaStep = Math.max(step, (this.quotaResetAt - slot) / this.quotaLeft);
						inQuota = true;
					}
					else {
						// None left, or a slot beyond the window the partner described: one caller goes at the reset
						// to learn the next window, the others ask again once its answer may be in. Slots reserved
						// in a window nobody has described could overdraw it.
						if (slot - this.quotaResetAt < 0) {
							slot = this.quotaResetAt;
							quotaHold = !again;
						}
						if (this.quotaProbed) {
							askAgainAt = slot + Math.max(this.quotaStep, ASK_AGAIN_NANOS);
						}
						else {
							probe = true;
						}
					}
					step = Math.max(step, this.quotaStep);
				}
				long until = (askAgainAt != 0) ? askAgainAt : slot;
				if (until - now > maxWaitNanos) {
					if (reused != null) {
						this.returned.add(reused);
					}
					this.listener.denied();
					return Mono.error(new PermitUnavailableException(Duration.ofNanos(until - now),
							Duration.ofNanos(maxWaitNanos), quota && this.quotaLeft <= 0));
				}
				if (askAgainAt != 0) {
					askAgain = askAgainAt - now;
				}
				else {
					if (reused == null) {
						this.frontier = slot + step;
					}
					if (inQuota) {
						this.quotaLeft--;
					}
					this.quotaProbed |= probe;
				}
			}
		}
		if (quotaHold) {
			this.listener.heldForQuota();
		}
		if (askAgain > 0) {
			return Mono.delay(Duration.ofNanos(askAgain))
				.then(Mono.defer(() -> acquire(maxWaitNanos - (this.clock.getAsLong() - start), start, true)));
		}
		long wait = slot - now;
		if (wait <= EARLY_RELEASE_NANOS) {
			// A timer cannot wait less than about 50 µs anyway; hopping to it would only add a thread switch. The slot
			// is still taken, so the frontier never runs more than this ahead of the clock.
			synchronized (this.lock) {
				wait = this.held.isEmpty() ? release(now) : 1;
			}
			if (wait == 0) {
				this.listener.waited(now - start);
				return NOW;
			}
		}
		long reserved = slot;
		return Mono.delay(Duration.ofNanos(wait))
			.doOnCancel(() -> giveBack(reserved))
			.then(Mono.defer(() -> released(maxWaitNanos, start)));
	}

	/**
	 * A waiter's timer fired: let it go, or send it back to wait behind a pause or the window's share.
	 */
	private Mono<Void> released(long maxWaitNanos, long start) {
		long after = this.clock.getAsLong();
		if (this.paused && this.pausedUntil > after) {
			// A 429 paused the client while this caller waited: queue again behind the pause.
			return acquire(maxWaitNanos - (after - start), start, true);
		}
		long again;
		synchronized (this.lock) {
			again = this.held.isEmpty() ? release(after) : -1;
		}
		if (again == 0) {
			this.listener.waited(after - start);
			return NOW;
		}
		long limit = start + maxWaitNanos + Math.min(maxWaitNanos, WINDOW_NANOS);
		if (again > 0 && after + again > limit) {
			this.listener.denied();
			return Mono.error(new PermitUnavailableException(Duration.ofNanos(after + again - start),
					Duration.ofNanos(maxWaitNanos)));
		}
		return Mono.create((sink) -> hold(new Held(sink, start, limit, maxWaitNanos)));
	}

	/**
	 * Queue a caller whose slot came while the window's share was used up.
	 */
	private void hold(Held caller) {
		boolean drainNow;
		synchronized (this.lock) {
			this.held.add(caller);
			drainNow = !this.draining;
			this.draining = true;
		}
		caller.sink.onCancel(() -> {
			synchronized (this.lock) {
				this.held.remove(caller);
			}
		});
		if (drainNow) {
			drain();
		}
	}

	/**
	 * Release the held callers, oldest first, as the window's share allows; refuse those who would then wait longer
	 * than they accept; and schedule the next drain for the rest. One timer for all of them: held callers with a
	 * timer each would all wake at the same time and all but one go back to sleep.
	 * <p>
	 * A held caller was given a slot within its longest wait and has waited for it, so it is not refused the moment
	 * its wait passes that: it may wait up to one more window (and never more than twice its longest wait). Refusing
	 * it then would waste the share it would have used, and every stall of the JVM or the machine would cost the
	 * client that much of its rate.
	 */
	private void drain() {
		while (true) {
			long now = this.clock.getAsLong();
			Held caller;
			boolean go;
			synchronized (this.lock) {
				caller = this.held.peek();
				if (caller == null) {
					this.draining = false;
					return;
				}
				long until = this.pausedUntil;
				long again = (this.paused && until > now) ? until - now : release(now);
				if (again > 0 && now + again <= caller.limit) {
					Schedulers.parallel().schedule(this::drain, again, TimeUnit.NANOSECONDS);
					return;
				}
				this.held.poll();
				go = (again == 0);
			}
			// One at a time, each recorded at the time it goes: the callers released by one drain send one after the
			// other on this thread, and a release time taken once for all of them would be early for the last ones.
			if (go) {
				this.listener.waited(now - caller.start);
				caller.sink.success();
			}
			else {
				this.listener.denied();
				caller.sink.error(new PermitUnavailableException(Duration.ofNanos(now - caller.start),
						Duration.ofNanos(caller.maxWaitNanos)));
			}
		}
	}

	private void giveBack(long slot) {
		if (this.intervalNanos == 0 && !this.pacing) {
			return;
		}
		synchronized (this.lock) {
			if (slot > this.clock.getAsLong()) {
				if (slot + this.intervalNanos == this.frontier) {
					this.frontier = slot;
				}
				else {
					this.returned.add(slot);
				}
			}
		}
	}

	/**
	 * Stop handing out permits until the given time, because a server said so.
	 * @param wait how long to pause from now
	 */
	@Override
	public void pause(Duration wait) {
		long until = this.clock.getAsLong() + wait.toNanos();
		synchronized (this.lock) {
			if (until > this.pausedUntil) {
				this.pausedUntil = until;
				this.paused = true;
				if (this.intervalNanos > 0 && this.frontier < until) {
					this.frontier = until;
				}
			}
		}
	}

	/**
	 * Pace the gate by the partner's quota: {@code remaining} requests until it resets in {@code resetNanos}.
	 * Within one window the least remaining and the earliest reset the partner said are kept (a reset in whole
	 * seconds only ever says too late), less the permits handed out since and those reserved but not yet sent
	 * (which the partner has not counted); a reset more than a second later than
	 * the one known starts a new window. Slots are then {@code time left / remaining} apart, never closer than
	 * {@code max-rate-limit} allows; at none left, callers are held until the reset. A second after the reset
	 * with nothing new said, pacing stops.
	 * @param remaining requests left
	 * @param resetNanos time until the reset
	 */
	@Override
	public void quota(long remaining, long resetNanos) {
		long now = this.clock.getAsLong();
		long at = now + resetNanos;
		synchronized (this.lock) {
			// The partner has not seen the slots reserved but not yet sent: they are not left for others.
			long step = Math.max(this.intervalNanos, this.quotaStep);
			long pending = (this.pacing && step > 0 && this.frontier - now > 0)
					? (this.frontier - now) / step : 0;
			long left = Math.max(0, remaining - pending);
			if (!this.pacing || now - this.quotaResetAt >= 0 || at - this.quotaResetAt >= QUOTA_GRACE_NANOS) {
				this.quotaResetAt = at;
				this.quotaLeft = left;
				this.quotaProbed = false;
			}
			else {
				this.quotaResetAt = Math.min(this.quotaResetAt, at);
				this.quotaLeft = Math.min(this.quotaLeft, left);
			}
			this.pacing = true;
		}
	}

	/**
	 * Under the lock: whether the quota still paces, which it stops doing a second after its reset.
	 */
	private boolean quotaActive(long now) {
		if (now - this.quotaResetAt >= QUOTA_GRACE_NANOS) {
			this.pacing = false;
			return false;
		}
		return true;
	}

	/**
	 * Return how long from now the client is paused, zero when it is not.
	 * @return the remaining pause
	 */
	@Override
	public Duration pausedFor() {
		long remaining = this.pausedUntil - this.clock.getAsLong();
		return (this.paused && remaining > 0) ? Duration.ofNanos(remaining) : Duration.ZERO;
	}

	/**
	 * Return the configured interval between permits, zero when there is no limit.
	 * @return the interval
	 */
	Duration interval() {
		return Duration.ofNanos(this.intervalNanos);
	}

	/**
	 * A caller waiting in {@link #held}.
	 */
	private record Held(MonoSink<Void> sink, long start, long limit, long maxWaitNanos) {
	}

}
