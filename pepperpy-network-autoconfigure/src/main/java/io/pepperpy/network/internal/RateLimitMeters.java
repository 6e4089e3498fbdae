package io.pepperpy.network.internal;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.pepperpy.network.internal.limit.RateLimitListener;
import org.jspecify.annotations.Nullable;

/**
 * The rate-limit meters of a client, written once for the HTTP client ({@code pepperpy.http.client.}) and the TCP
 * client ({@code pepperpy.tcp.client.}): the wait for each permit ({@code rate.limit.wait}, a timer tagged
 * {@code client}), each refusal ({@code rate.limit.denied}, tagged {@code client} and {@code backend}) and each
 * fall-back from the shared limit to the local share ({@code rate.limit.fallback}). Meters are registered when
 * first used, so a client without a rate limit registers none; the limiter calls this only when it limits.
 */
public final class RateLimitMeters implements RateLimitListener {

	private final MeterRegistry registry;

	private final String prefix;

	private final Tags tags;

	private final String backend;

	private volatile @Nullable Timer waits;

	/**
	 * Refusals are the hot path of an overloaded client (12,000 a second in the overload benchmark), so their
	 * counter is looked up once.
	 */
	private volatile @Nullable Counter denials;

	private RateLimitMeters(MeterRegistry registry, String prefix, String client, String backend) {
		this.registry = registry;
		this.prefix = prefix;
		this.tags = Tags.of("client", client);
		this.backend = backend;
	}

	/**
	 * Return the listener that records a client's rate-limit meters.
	 * @param registry the registry, or {@code null} to record nothing
	 * @param prefix the client's meter prefix, such as {@code pepperpy.tcp.client.}
	 * @param client the client's name
	 * @param backend the limiter's backend: {@code local} or {@code redis}
	 * @return the listener ({@link RateLimitListener#NONE} without a registry)
	 */
	public static RateLimitListener of(@Nullable MeterRegistry registry, String prefix, String client,
			String backend) {
		return (registry != null) ? new RateLimitMeters(registry, prefix, client, backend) : RateLimitListener.NONE;
	}

	@Override
	public void waited(long nanos) {
		Timer timer = this.waits;
		if (timer == null) {
			timer = Timer.builder(this.prefix + "rate.limit.wait")
				.description("Time calls waited for a rate-limit permit")
				.tags(this.tags)
				.register(this.registry);
			this.waits = timer;
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void denied() {
		Counter counter = this.denials;
		if (counter == null) {
			counter = Counter.builder(this.prefix + "rate.limit.denied")
				.description("Calls refused a rate-limit permit because the wait would exceed rate-limit-timeout")
				.tags(this.tags.and("backend", this.backend))
				.register(this.registry);
			this.denials = counter;
		}
		counter.increment();
	}

	@Override
	public void fellBack() {
		Counter.builder(this.prefix + "rate.limit.fallback")
			.description("Times the shared (Redis) rate limit was unreachable and the client fell back to its "
					+ "local share")
			.tags(this.tags.and("backend", "redis"))
			.register(this.registry)
			.increment();
	}

}
