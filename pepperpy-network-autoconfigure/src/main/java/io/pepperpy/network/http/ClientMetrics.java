package io.pepperpy.network.http;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.pepperpy.network.internal.RateLimitMeters;
import io.pepperpy.network.internal.limit.RateLimitListener;
import org.jspecify.annotations.Nullable;

/**
 * The client's own meters, prefixed {@code pepperpy.http.client.}. Tags are bounded: {@code uri} is the URI
 * template without scheme, host or query, and after {@link #MAX_URIS} distinct templates further ones are tagged
 * {@code OTHER}.
 */
final class ClientMetrics {

	static final int MAX_URIS = 200;

	static final String PREFIX = "pepperpy.http.client.";

	private final @Nullable MeterRegistry registry;

	private final String client;

	private final Set<String> uris = ConcurrentHashMap.newKeySet();

	private final boolean perAttempt;

	ClientMetrics(@Nullable MeterRegistry registry, String client, boolean perAttempt) {
		this.registry = registry;
		this.client = client;
		this.perAttempt = perAttempt;
	}

	boolean enabled() {
		return this.registry != null;
	}

	String uriTag(String template) {
		String uri = template;
		int query = uri.indexOf('?');
		if (query >= 0) {
			uri = uri.substring(0, query);
		}
		if (uri.startsWith("http://") || uri.startsWith("https://") || uri.startsWith("//")) {
			try {
				String path = URI.create(uri.replace("{", "%7B").replace("}", "%7D")).getRawPath();
				uri = (path == null || path.isEmpty()) ? "/" : path.replace("%7B", "{").replace("%7D", "}");
			}
			catch (IllegalArgumentException ex) {
				uri = "UNKNOWN";
			}
		}
		if (uri.isEmpty()) {
			uri = "/";
		}
		if (this.uris.contains(uri)) {
			return uri;
		}
		if (this.uris.size() >= MAX_URIS) {
			return "OTHER";
		}
		this.uris.add(uri);
		return uri;
	}

	void connections(PoolStats pools) {
		if (this.registry == null) {
			return;
		}
		Gauge.builder(PREFIX + "connections", pools, PoolStats::active)
			.description("Connections of the client's pool, by state")
			.tags("client", this.client, "state", "active")
			.register(this.registry);
		Gauge.builder(PREFIX + "connections", pools, PoolStats::idle)
			.tags("client", this.client, "state", "idle")
			.register(this.registry);
		Gauge.builder(PREFIX + "connections", pools, PoolStats::pending)
			.tags("client", this.client, "state", "pending")
			.register(this.registry);
	}

	private record CallKey(String method, String uri, String status, String outcome, String exception) {
	}

	private record AttemptKey(String method, String uri, String status, String outcome) {
	}

	/**
	 * Meters already registered, so the hot path costs one small key and a map lookup instead of a builder, tags
	 * and a registry lookup per call. Bounded: the tags are bounded.
	 */
	private final Map<CallKey, Timer> calls = new ConcurrentHashMap<>();

	private final Map<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();

	private static final String[] STATUS = new String[600];

	static {
		for (int code = 100; code < STATUS.length; code++) {
			STATUS[code] = Integer.toString(code).intern();
		}
	}

	/**
	 * Return a status code's tag value without a new string (and hash) per call.
	 * @param status the code
	 * @return its decimal text
	 */
	static String status(int status) {
		return (status >= 100 && status < STATUS.length) ? STATUS[status] : Integer.toString(status);
	}

	/**
	 * Return the {@code outcome} tag of a status, as Spring's {@code http.client.requests} names it.
	 */
	static String outcome(int status) {
		if (status >= 200 && status < 300) {
			return "SUCCESS";
		}
		if (status >= 300 && status < 400) {
			return "REDIRECTION";
		}
		if (status >= 400 && status < 500) {
			return "CLIENT_ERROR";
		}
		if (status >= 500 && status < 600) {
			return "SERVER_ERROR";
		}
		return (status >= 100 && status < 200) ? "INFORMATIONAL" : "UNKNOWN";
	}

	void call(String method, String uri, String status, String outcome, String exception, long nanos) {
		if (this.registry == null) {
			return;
		}
		MeterRegistry registry = this.registry;
		this.calls.computeIfAbsent(new CallKey(method, uri, status, outcome, exception), (key) -> Timer
			.builder(PREFIX + "calls")
			.description("Logical calls, retries, backoff and rate-limit waits included")
			.tags(Tags.of("client", this.client, "method", key.method(), "uri", key.uri(), "status", key.status(),
					"outcome", key.outcome(), "exception", key.exception()))
			.register(registry))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	void attempt(String method, String uri, String status, String outcome) {
		if (this.registry == null || !this.perAttempt) {
			return;
		}
		MeterRegistry registry = this.registry;
		this.attempts.computeIfAbsent(new AttemptKey(method, uri, status, outcome), (key) -> Counter
			.builder(PREFIX + "attempts")
			.description("Attempts sent, first attempts and retries")
			.tags(Tags.of("client", this.client, "method", key.method(), "uri", key.uri(), "status", key.status(),
					"outcome", key.outcome()))
			.register(registry))
			.increment();
	}

	void retry(String method, String reason) {
		if (this.registry == null) {
			return;
		}
		Counter.builder(PREFIX + "retries")
			.description("Retries scheduled, by reason")
			.tags(Tags.of("client", this.client, "method", method, "reason", reason))
			.register(this.registry)
			.increment();
	}

	void retryRefused(String method, String reason) {
		if (this.registry == null) {
			return;
		}
		Counter.builder(PREFIX + "retries.refused")
			.description("Retryable failures that were not retried, by reason")
			.tags(Tags.of("client", this.client, "method", method, "reason", reason))
			.register(this.registry)
			.increment();
	}

	/**
	 * Return the listener a rate-limit gate reports to: wait times to {@code rate.limit.wait}, refusals to
	 * {@code rate.limit.denied} tagged with the backend, fall-backs from Redis to {@code rate.limit.fallback}.
	 * @param backend {@code local} or {@code redis}
	 * @return the listener
	 */
	RateLimitListener rateLimitListener(String backend) {
		RateLimitListener meters = RateLimitMeters.of(this.registry, PREFIX, this.client, backend);
		return new RateLimitListener() {

			@Override
			public void waited(long nanos) {
				meters.waited(nanos);
			}

			@Override
			public void denied() {
				meters.denied();
			}

			@Override
			public void fellBack() {
				meters.fellBack();
			}

			@Override
			public void heldForQuota() {
				quotaHeld();
			}

		};
	}

	private final AtomicLong quotaLimit = new AtomicLong(-1);

	private final AtomicLong quotaRemaining = new AtomicLong(
			-1);

	private volatile boolean quotaGauges;

	private @Nullable Counter quotaHeld;

	/**
	 * Record what the partner advertised: {@code quota.limit} (its whole quota, when it says) and
	 * {@code quota.remaining}, gauges registered on the first quota seen.
	 * @param limit the advertised quota, or {@code -1}
	 * @param remaining requests left until the reset
	 */
	void quota(long limit, long remaining) {
		if (this.registry == null) {
			return;
		}
		if (limit >= 0) {
			this.quotaLimit.set(limit);
		}
		this.quotaRemaining.set(remaining);
		if (!this.quotaGauges) {
			this.quotaGauges = true;
			Gauge.builder(PREFIX + "quota.limit", this.quotaLimit, Number::doubleValue)
				.description("Requests per window the partner advertises in its rate-limit headers, -1 unknown")
				.tags("client", this.client)
				.register(this.registry);
			io.micrometer.core.instrument.Gauge
				.builder(PREFIX + "quota.remaining", this.quotaRemaining, Number::doubleValue)
				.description("Requests left until the partner's quota resets, as its last response said")
				.tags("client", this.client)
				.register(this.registry);
		}
	}

	void quotaHeld() {
		if (this.registry == null) {
			return;
		}
		Counter counter = this.quotaHeld;
		if (counter == null) {
			counter = Counter.builder(PREFIX + "quota.held")
				.description("Calls held until the partner's quota reset, because it said none were left")
				.tags(Tags.of("client", this.client))
				.register(this.registry);
			this.quotaHeld = counter;
		}
		counter.increment();
	}

	void quotaMalformed(String headers) {
		if (this.registry == null) {
			return;
		}
		Counter.builder(PREFIX + "quota.malformed")
			.description("Responses whose rate-limit headers were malformed or absurd, and ignored")
			.tags(Tags.of("client", this.client, "headers", headers))
			.register(this.registry)
			.increment();
	}

	void rateLimitFallback() {
		if (this.registry == null) {
			return;
		}
		Counter.builder(PREFIX + "rate.limit.fallback")
			.description("Times the shared (Redis) rate limit was unreachable and the client fell back to its "
					+ "local share")
			.tags(Tags.of("client", this.client, "backend", "redis"))
			.register(this.registry)
			.increment();
	}

}
