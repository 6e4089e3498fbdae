package io.pepperpy.network.internal.limit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisScriptingReactiveCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import org.slf4j.Logger;
import reactor.core.publisher.Mono;

/**
 * A rate limit shared by every instance that uses the same Redis key: one permit per {@code 1/R} slot across
 * all of them, the "next free slot" form of GCRA, decided atomically by one Lua script on the Redis server
 * clock.
 * <p>
 * The script reserves {@code slot = max(now, next_free, paused_until)} when the caller accepts to wait that long
 * (and moves {@code next_free} one interval on), or refuses without reserving. The caller then waits for its
 * slot on a Reactor timer: no thread is parked, and the Redis command itself goes through Lettuce's reactive API.
 * A 429's {@code Retry-After} sets {@code paused_until} in the same key, so it pauses every instance.
 * <p>
 * When Redis fails or does not answer within {@code rate-limit.redis.command-timeout}, the call takes a permit
 * from a local limiter at {@code max-rate-limit / expected-instances} instead, a WARN is logged once, and one
 * call per second probes Redis again; the first answer switches back to the shared limit with an INFO. A caller
 * that cancels while waiting cannot give its slot back in Redis: the slot is lost (at most one per cancelled
 * caller), which errs on the side of the partner's quota.
 * <p>
 * The same gate runs on a standalone Redis (or one behind Sentinel) and on a Redis Cluster or Valkey cluster: it
 * only needs Lettuce's scripting commands, which both kinds of connection have. It is cluster-safe because a limit
 * is one key: every field the script reads or writes ({@code next}, {@code paused}, the instances' {@code r:} and
 * {@code m:} fields) lives in the one hash {@code KEYS[1]}, and the script declares it, so the cluster client sends
 * each call to the master that owns the key's slot and no call ever spans two slots. A limit that ever needs a
 * second key must give both the same hash tag ({@code {<key>}:...}) and pass both in {@code KEYS}. When the master
 * owning the key fails, calls fall back to the local share as above, and the first call answered by the promoted
 * replica (which does not have the script: {@code NOSCRIPT} is answered by {@code EVAL}) resumes sharing.
 */
public final class RedisRateGate implements PermitGate {

	/**
	 * KEYS[1] the limit's hash, the only key the script touches; ARGV[1] interval in microseconds (0: no limit); ARGV[2] "acquire", "pause" or
	 * "quota"; ARGV[3] the longest wait (acquire), the pause (pause) or the time to the partner's reset (quota), in
	 * microseconds; ARGV[4] the instance's id; ARGV[5] the requests the partner said are left (quota). Returns
	 * {granted, wait, paused, held} in microseconds (granted 2: ask again after the wait), held 1 when the wait is
	 * for the partner's reset; times are the Redis server's, so the instances' clocks need not agree.
	 * <p>
	 * The partner's quota lives in the same hash, so that the instances share it rather than each spending all of
	 * it: {@code qreset} (the earliest reset said in this window), {@code qleft} (the least left said, less the
	 * slots reserved since), {@code qstep} (the last interval it asked for) and {@code qprobe} (a caller went beyond
	 * the described window to learn the next), as {@link RateGate#quota} keeps them in one JVM.
	 * <p>
	 * Fairness: a slot goes to whoever asks first once one is free, so instances whose demand arrives in step
	 * (timers with the same period) would take every slot in the same order, one instance nearly all of them. So
	 * the instances refused in the last second ({@code r:<id>}) are counted, and while more than one is, each may
	 * take slots at no more than its share of the rate: its own frontier ({@code m:<id>}) moves on by
	 * {@code interval * refused} per slot it takes, and it is refused while that frontier is more than two of its
	 * slots ahead. An instance that is never refused (its demand fits) is not
	 * counted, so the others share what it leaves.
	 */
	static final String SCRIPT = """
			local t = redis.call('TIME')
			local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
			local nextFree = tonumber(redis.call('HGET', KEYS[1], 'next') or 0)
			local paused = tonumber(redis.call('HGET', KEYS[1], 'paused') or 0)
			local interval = tonumber(ARGV[1])
			local arg = tonumber(ARGV[3])
			local qreset = tonumber(redis.call('HGET', KEYS[1], 'qreset') or 0)
			if ARGV[2] == 'pause' then
			  if now + arg > paused then
			    paused = now + arg
			    redis.call('HSET', KEYS[1], 'paused', string.format('%d', paused))
			  end
			  redis.call('PEXPIRE', KEYS[1], math.floor((math.max(nextFree, paused, qreset + 1000000) - now) / 1000) + 2000)
			  return {1, 0, paused - now, 0}
			end
			if ARGV[2] == 'quota' then
			  local at = now + arg
			  local left = tonumber(ARGV[5])
			  local pendingStep = math.max(interval, tonumber(redis.call('HGET', KEYS[1], 'qstep') or 0))
			  if pendingStep > 0 and nextFree > now then
			    left = math.max(0, left - math.floor((nextFree - now) / pendingStep))
			  end
			  if now >= qreset or at >= qreset + 1000000 then
			    qreset = at
			    redis.call('HDEL', KEYS[1], 'qprobe')
			  else
			    qreset = math.min(qreset, at)
			    left = math.min(left, tonumber(redis.call('HGET', KEYS[1], 'qleft') or 0))
			  end
			  redis.call('HSET', KEYS[1], 'qreset', string.format('%d', qreset), 'qleft', string.format('%d', left))
			  redis.call('PEXPIRE', KEYS[1], math.floor((math.max(nextFree, paused, qreset + 1000000) - now) / 1000) + 2000)
			  return {1, 0, 0, 0}
			end
			local refused = 0
			local fields = redis.call('HGETALL', KEYS[1])
			for i = 1, #fields, 2 do
			  local field = fields[i]
			  if string.sub(field, 1, 2) == 'r:' then
			    if tonumber(fields[i + 1]) > now - 1000000 then
			      refused = refused + 1
			    else
			      redis.call('HDEL', KEYS[1], field, 'm:' .. string.sub(field, 3))
			    end
			  end
			end
			local mineField = 'm:' .. ARGV[4]
			local mine = tonumber(redis.call('HGET', KEYS[1], mineField) or 0)
			local slot = math.max(now, nextFree, paused)
			local step = interval
			local held = 0
			local qleft = 0
			local inQuota = false
			local probe = false
			if now < qreset + 1000000 then
			  qleft = tonumber(redis.call('HGET', KEYS[1], 'qleft') or 0)
			  local qstep = tonumber(redis.call('HGET', KEYS[1], 'qstep') or 0)
			  if slot < qreset and qleft > 0 then
			    inQuota = true
			    qstep = math.max(interval, math.floor((qreset - slot) / qleft))
			  else
			    if slot < qreset then
			      slot = qreset
			      held = 1
			    end
			    if redis.call('HGET', KEYS[1], 'qprobe') then
			      local again = slot + math.max(qstep, 10000) - now
			      if again > arg then
			        return {0, again, math.max(0, paused - now), 1}
			      end
			      return {2, again, math.max(0, paused - now), held}
			    end
			    probe = true
			  end
			  step = math.max(interval, qstep)
			end
			local wait = slot - now
			local pausedLeft = math.max(0, paused - now)
			local overShare = interval > 0 and refused > 1 and mine - now > math.min(arg, 2 * interval * refused)
			if wait > arg or overShare then
			  redis.call('HSET', KEYS[1], 'r:' .. ARGV[4], string.format('%d', now))
			  redis.call('PEXPIRE', KEYS[1], math.floor((math.max(nextFree, paused, qreset + 1000000) - now) / 1000) + 2000)
			  return {0, math.max(wait, mine - now), pausedLeft, held}
			end
			if step > 0 then
			  redis.call('HSET', KEYS[1], 'next', string.format('%d', slot + step),
			    mineField, string.format('%d', math.max(mine, now) + interval * math.max(refused, 1)))
			  if inQuota then
			    redis.call('HSET', KEYS[1], 'qleft', string.format('%d', qleft - 1), 'qstep', string.format('%d', step))
			  end
			  if probe then
			    redis.call('HSET', KEYS[1], 'qprobe', '1')
			  end
			  redis.call('PEXPIRE', KEYS[1], math.floor((math.max(slot + step, qreset + 1000000) - now) / 1000) + 2000)
			end
			return {1, wait, pausedLeft, held}
			""";

	private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

	private static final Mono<Void> NOW = Mono.empty();

	private final RedisScriptingReactiveCommands<String, String> commands;

	private final String sha;

	private final String[] keys;

	private final String interval;

	private final Duration commandTimeout;

	private final int expectedInstances;

	private final RateGate fallback;

	private final RateLimitListener listener;

	private final LongSupplier clock;

	private final Logger logger;

	private final String description;

	/** This instance's id in the shared limit's hash, for its fair share. */
	private final String instance = UUID.randomUUID().toString();

	private final AtomicBoolean degraded = new AtomicBoolean();

	private final AtomicBoolean probing = new AtomicBoolean();

	private volatile long nextProbe;

	/**
	 * Last shared pause this instance heard of, on its own clock.
	 */
	private volatile long pausedUntil;

	private RedisRateGate(RedisScriptingReactiveCommands<String, String> commands, GateSettings settings,
			RateLimitListener listener, Logger logger, LongSupplier clock) {
		this.commands = commands;
		this.sha = this.commands.digest(SCRIPT);
		this.keys = new String[] { settings.key() };
		int rate = settings.permitsPerSecond();
		this.interval = Long.toString((rate > 0) ? Math.max(1, 1_000_000L / rate) : 0);
		this.commandTimeout = settings.commandTimeout();
		this.expectedInstances = settings.expectedInstances();
		this.listener = listener;
		this.clock = clock;
		int share = (rate > 0) ? Math.max(1, rate / settings.expectedInstances()) : 0;
		this.fallback = new RateGate(share, clock, listener);
		this.logger = logger;
		this.description = settings.owner() + " (Redis key " + settings.key() + ", max-rate-limit " + rate
				+ ", local share " + share + "/s with expected-instances " + settings.expectedInstances() + ")";
	}

	/**
	 * Create a gate on a Redis connection.
	 * @param settings the limit, with its Redis key
	 * @param connection a Lettuce {@code StatefulRedisConnection<String, String>}, or a
	 * {@code StatefulRedisClusterConnection<String, String>} for a Redis Cluster
	 * @param listener told what the gate did
	 * @param logger where the gate logs its fall-back and recovery
	 * @return the gate
	 */
	@SuppressWarnings("unchecked")
	public static RedisRateGate create(GateSettings settings, Object connection, RateLimitListener listener,
			Logger logger) {
		RedisScriptingReactiveCommands<String, String> commands;
		if (connection instanceof StatefulRedisConnection<?, ?> redis) {
			commands = (RedisScriptingReactiveCommands<String, String>) redis.reactive();
		}
		else if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
			commands = (RedisScriptingReactiveCommands<String, String>) cluster.reactive();
		}
		else {
			throw new IllegalArgumentException("the Redis connection must be a Lettuce StatefulRedisConnection or "
					+ "StatefulRedisClusterConnection but was " + connection.getClass().getName());
		}
		return new RedisRateGate(commands, settings, listener, logger, System::nanoTime);
	}

	@Override
	public Mono<Void> acquire(Duration maxWait) {
		return Mono.defer(() -> {
			long start = this.clock.getAsLong();
			if (this.degraded.get() && !startProbe(start)) {
				return this.fallback.acquire(maxWait);
			}
			return reserve(maxWait.toNanos(), start);
		});
	}

	private boolean startProbe(long now) {
		if (now - this.nextProbe >= 0 && this.probing.compareAndSet(false, true)) {
			this.nextProbe = now + PROBE_INTERVAL.toNanos();
			return true;
		}
		return false;
	}

	private Mono<Void> reserve(long maxWaitNanos, long start) {
		long maxWaitMicros = Math.max(0, maxWaitNanos / 1000);
		return run("acquire", maxWaitMicros).map((reply) -> {
			shared();
			return granted(reply, maxWaitNanos, start);
		}).onErrorResume((ex) -> {
			unreachable(ex);
			long left = maxWaitNanos - (this.clock.getAsLong() - start);
			return Mono.just(this.fallback.acquire(Duration.ofNanos(Math.max(0, left))));
		}).flatMap((permit) -> permit);
	}

	private Mono<Void> granted(long[] reply, long maxWaitNanos, long start) {
		long now = this.clock.getAsLong();
		if (reply[2] > 0) {
			notePause(now + reply[2] * 1000);
		}
		long waitNanos = reply[1] * 1000;
		if (reply[0] == 0) {
			this.listener.denied();
			return Mono.error(new PermitUnavailableException(Duration.ofNanos(waitNanos),
					Duration.ofNanos(maxWaitNanos), reply[3] == 1));
		}
		if (reply[0] == 2) {
			// Beyond the window the partner described: ask again once the answer of the caller that went may be in.
			return Mono.delay(Duration.ofNanos(waitNanos))
				.then(Mono.defer(() -> reserve(maxWaitNanos - (this.clock.getAsLong() - start), start)));
		}
		if (reply[3] == 1) {
			this.listener.heldForQuota();
		}
		if (waitNanos <= 0) {
			this.listener.waited(now - start);
			return NOW;
		}
		long reservedAt = now;
		return Mono.delay(Duration.ofNanos(waitNanos)).then(Mono.defer(() -> {
			long after = this.clock.getAsLong();
			long pause = this.pausedUntil;
			if (pause - after > 0 && pause - reservedAt > waitNanos) {
				// A 429 paused the client after this slot was reserved: queue again behind the pause.
				return reserve(maxWaitNanos - (after - start), start);
			}
			this.listener.waited(after - start);
			return NOW;
		}));
	}

	@Override
	public void pause(Duration wait) {
		long now = this.clock.getAsLong();
		notePause(now + wait.toNanos());
		this.fallback.pause(wait);
		run("pause", wait.toNanos() / 1000).subscribe((reply) -> shared(), this::unreachable);
	}

	/**
	 * Share the partner's quota through Redis (and keep it in the local share too, for a fall-back): one command
	 * per response that advertises one, sent without waiting for it.
	 */
	@Override
	public void quota(long remaining, long resetNanos) {
		this.fallback.quota(remaining / this.expectedInstances, resetNanos);
		run("quota", resetNanos / 1000, Long.toString(remaining)).subscribe((reply) -> shared(), this::unreachable);
	}

	private void notePause(long until) {
		if (until - this.pausedUntil > 0) {
			this.pausedUntil = until;
		}
	}

	@Override
	public Duration pausedFor() {
		long remaining = this.pausedUntil - this.clock.getAsLong();
		return (remaining > 0) ? Duration.ofNanos(remaining) : Duration.ZERO;
	}

	/**
	 * Run the script (loading it first when Redis does not know it, after a restart for instance), within the
	 * command timeout.
	 */
	private Mono<long[]> run(String operation, long micros) {
		return run(operation, micros, "0");
	}

	private Mono<long[]> run(String operation, long micros, String remaining) {
		String[] args = { this.interval, operation, Long.toString(micros), this.instance, remaining };
		return this.commands.<Object>evalsha(this.sha, ScriptOutputType.MULTI, this.keys, args)
			.onErrorResume(RedisNoScriptException.class,
					(ex) -> this.commands.<Object>eval(SCRIPT, ScriptOutputType.MULTI, this.keys, args))
			.collectList()
			.map(RedisRateGate::reply)
			.timeout(this.commandTimeout)
			.doFinally((signal) -> this.probing.set(false));
	}

	private static long[] reply(List<Object> values) {
		List<Object> flat = new ArrayList<>();
		for (Object value : values) {
			if (value instanceof List<?> list) {
				flat.addAll(list);
			}
			else {
				flat.add(value);
			}
		}
		if (flat.size() != 4) {
			throw new IllegalStateException("unexpected reply from the rate-limit script: " + values);
		}
		long[] reply = new long[4];
		for (int i = 0; i < 4; i++) {
			reply[i] = ((Number) flat.get(i)).longValue();
		}
		return reply;
	}

	private void shared() {
		if (this.degraded.compareAndSet(true, false)) {
			this.logger.info("{}: Redis answers again, the shared rate limit resumed", this.description);
		}
	}

	private void unreachable(Throwable ex) {
		this.nextProbe = this.clock.getAsLong() + PROBE_INTERVAL.toNanos();
		if (this.degraded.compareAndSet(false, true)) {
			this.listener.fellBack();
			String reason = (ex instanceof java.util.concurrent.TimeoutException)
					? "no answer within rate-limit.redis.command-timeout " + this.commandTimeout.toMillis() + " ms"
					: ex.toString();
			this.logger.warn("{}: the shared rate limit in Redis is unreachable ({}); falling back to the local "
					+ "share until Redis answers again", this.description, reason);
		}
	}

}
