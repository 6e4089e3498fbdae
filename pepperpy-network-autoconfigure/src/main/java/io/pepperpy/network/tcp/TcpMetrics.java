package io.pepperpy.network.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pepperpy.network.http.NetworkException;
import org.jspecify.annotations.Nullable;

/**
 * The client's meters, prefixed {@code pepperpy.tcp.client.}; every tag has a small, fixed set of values.
 */
final class TcpMetrics {

	static final String PREFIX = "pepperpy.tcp.client.";

	private final @Nullable MeterRegistry registry;

	private final String client;

	private final @Nullable DistributionSummary sent;

	private final @Nullable DistributionSummary received;

	private final Map<String, Timer> exchanges = new ConcurrentHashMap<>();

	private final Map<NetworkException.Kind, Counter> errors = new ConcurrentHashMap<>();

	private final List<Meter> gauges = new ArrayList<>();

	TcpMetrics(@Nullable MeterRegistry registry, String client) {
		this.registry = registry;
		this.client = client;
		this.sent = (registry != null) ? bytes(registry, "sent") : null;
		this.received = (registry != null) ? bytes(registry, "received") : null;
	}

	private DistributionSummary bytes(MeterRegistry registry, String direction) {
		return DistributionSummary.builder(PREFIX + "bytes")
			.description("Frame payload sizes, by direction")
			.baseUnit("bytes")
			.tags("client", this.client, "direction", direction)
			.register(registry);
	}

	void connections(Supplier<Number> active, Supplier<Number> idle) {
		if (this.registry == null) {
			return;
		}
		this.gauges.add(Gauge.builder(PREFIX + "connections", active)
			.description("Open connections, by state")
			.tags("client", this.client, "state", "active")
			.strongReference(true)
			.register(this.registry));
		this.gauges.add(Gauge.builder(PREFIX + "connections", idle)
			.description("Open connections, by state")
			.tags("client", this.client, "state", "idle")
			.strongReference(true)
			.register(this.registry));
	}

	void sent(int bytes) {
		if (this.sent != null) {
			this.sent.record(bytes);
		}
	}

	void received(int bytes) {
		if (this.received != null) {
			this.received.record(bytes);
		}
	}

	void exchange(String outcome, String exception, long nanos) {
		if (this.registry == null) {
			return;
		}
		MeterRegistry registry = this.registry;
		this.exchanges.computeIfAbsent(outcome + "/" + exception, (key) -> Timer.builder(PREFIX + "exchanges")
			.description("Exchanges, retries, backoff and rate-limit waits included")
			.tags("client", this.client, "outcome", outcome, "exception", exception)
			.register(registry)).record(nanos, TimeUnit.NANOSECONDS);
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

	void close() {
		if (this.registry != null) {
			this.gauges.forEach(this.registry::remove);
		}
	}

}
