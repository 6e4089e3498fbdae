package io.pepperpy.network.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.RateLimitMeters;
import io.pepperpy.network.internal.limit.RateLimitListener;
import org.jspecify.annotations.Nullable;

/**
 * The client's meters, prefixed {@code pepperpy.tcp.client.}; every tag has a small, fixed set of values.
 */
final class TcpMetrics {

	static final String PREFIX = "pepperpy.tcp.client.";

	private final @Nullable MeterRegistry registry;

	private final String client;

	/** Payload bytes by direction, kept in adders and read by function counters: an add per frame, no clock read. */
	private final LongAdder sent = new LongAdder();

	private final LongAdder received = new LongAdder();

	private final Map<String, Timer> exchanges = new ConcurrentHashMap<>();

	/** The timer of almost every exchange, looked up once. */
	private final @Nullable Timer succeeded;

	private final Map<NetworkException.Kind, Counter> errors = new ConcurrentHashMap<>();

	private final List<Meter> removedOnClose = new ArrayList<>();

	TcpMetrics(@Nullable MeterRegistry registry, String client) {
		this.registry = registry;
		this.client = client;
		if (registry != null) {
			this.removedOnClose.add(bytes(registry, "sent", this.sent));
			this.removedOnClose.add(bytes(registry, "received", this.received));
		}
		this.succeeded = (registry != null) ? exchangeTimer(registry, "SUCCESS", "none") : null;
	}

	private Timer exchangeTimer(MeterRegistry registry, String outcome, String exception) {
		return Timer.builder(PREFIX + "exchanges")
			.description("Exchanges, retries, backoff and rate-limit waits included")
			.tags("client", this.client, "outcome", outcome, "exception", exception)
			.register(registry);
	}

	private FunctionCounter bytes(MeterRegistry registry, String direction, LongAdder adder) {
		return FunctionCounter.builder(PREFIX + "bytes", adder, LongAdder::doubleValue)
			.description("Frame payload bytes, by direction")
			.baseUnit("bytes")
			.tags("client", this.client, "direction", direction)
			.register(registry);
	}

	void connections(Supplier<Number> active, Supplier<Number> idle) {
		if (this.registry == null) {
			return;
		}
		this.removedOnClose.add(Gauge.builder(PREFIX + "connections", active)
			.description("Open connections, by state")
			.tags("client", this.client, "state", "active")
			.strongReference(true)
			.register(this.registry));
		this.removedOnClose.add(Gauge.builder(PREFIX + "connections", idle)
			.description("Open connections, by state")
			.tags("client", this.client, "state", "idle")
			.strongReference(true)
			.register(this.registry));
	}

	void sent(int bytes) {
		if (this.registry != null) {
			this.sent.add(bytes);
		}
	}

	void received(int bytes) {
		if (this.registry != null) {
			this.received.add(bytes);
		}
	}

	void succeeded(long nanos) {
		if (this.succeeded != null) {
			this.succeeded.record(nanos, TimeUnit.NANOSECONDS);
		}
	}

	void exchange(String outcome, String exception, long nanos) {
		if (this.registry == null) {
			return;
		}
		MeterRegistry registry = this.registry;
		this.exchanges.computeIfAbsent(outcome + "/" + exception, (key) -> exchangeTimer(registry, outcome, exception))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	void error(NetworkException.Kind kind) {
		if (this.registry == null) {
			return;
		}
		MeterRegistry registry = this.registry;
		this.errors.computeIfAbsent(kind, (key) -> Counter.builder(PREFIX + "errors")
			.description("Failed attempts and streams, by kind")
			.tags("client", this.client, "kind", key.name())
			.register(registry)).increment();
	}

	/**
	 * Return the listener the client's rate limiter reports to: {@code rate.limit.wait} and
	 * {@code rate.limit.denied} (backend {@code local}), as for HTTP.
	 * @return the listener
	 */
	RateLimitListener rateLimitListener() {
		return RateLimitMeters.of(this.registry, PREFIX, this.client, "local");
	}

	void close() {
		if (this.registry != null) {
			this.removedOnClose.forEach(this.registry::remove);
		}
	}

}
