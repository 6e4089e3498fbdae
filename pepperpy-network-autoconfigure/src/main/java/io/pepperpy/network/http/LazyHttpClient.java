package io.pepperpy.network.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.pepperpy.network.internal.TlsSetup;
import io.pepperpy.network.internal.limit.PermitGate;
import io.pepperpy.network.limit.RateLimitSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.invoker.HttpExchangeAdapter;

/**
 * The client {@link HttpClient.Builder#build()} returns: it keeps what the client is built from and makes the
 * {@link DefaultHttpClient} (connector, connection pool, {@link WebClient}, rate limiter, pool gauges) on the
 * first request, so that a client built at start-up costs the application next to nothing until it is used: no
 * Reactor Netty, WebClient or codec classes loaded, no meters registered, no connection, no event loop.
 * <p>
 * What can be checked without those is checked when the client is built, as before: the configuration (by
 * {@link HttpConfig}), a Redis backend without a connection, and the {@code verify-ssl: false} warning.
 */
final class LazyHttpClient implements HttpClient {

	private final HttpConfig config;

	private final WebClient.@Nullable Builder webClientBuilder;

	private final @Nullable Supplier<? extends WebClient.@Nullable Builder> webClientBuilderSupplier;

	private final @Nullable JsonMapper jsonMapper;

	private final @Nullable MeterRegistry meterRegistry;

	private final @Nullable ObservationRegistry observationRegistry;

	private final List<HttpClientCustomizer> customizers;

	private final TlsSetup tls;

	private final @Nullable Object redisConnection;

	private final @Nullable CircuitBreakerRegistry circuitBreakers;

	private final ObservationSettings observation;

	private final Object lock = new Object();

	/**
	 * The client, once the first request made it. Typed with the interface so that reflection on this bean at
	 * start-up does not load the implementation.
	 */
	private volatile @Nullable HttpClient client;

	/**
	 * Guarded by {@link #lock}, so that a client made while this one is closed is closed too.
	 */
	private boolean closed;

	LazyHttpClient(HttpConfig config, WebClient.@Nullable Builder webClientBuilder,
			@Nullable Supplier<? extends WebClient.@Nullable Builder> webClientBuilderSupplier,
			@Nullable JsonMapper jsonMapper, @Nullable MeterRegistry meterRegistry,
			@Nullable ObservationRegistry observationRegistry, List<HttpClientCustomizer> customizers,
			TlsSetup tls,
			@Nullable Object redisConnection, @Nullable CircuitBreakerRegistry circuitBreakers,
			ObservationSettings observation) {
		if (config.rateLimit().backend() == RateLimitSettings.Backend.REDIS) {
			PermitGate.requireConnection("HTTP client '" + config.name() + "'", redisConnection);
		}
		if (!config.transport().verifySsl()) {
			TlsSetup.warnUnverified(LoggerFactory.getLogger(HttpClient.class.getName() + "." + config.name()),
					"HTTP client '" + config.name() + "'");
		}
		this.config = config;
		this.webClientBuilder = webClientBuilder;
		this.webClientBuilderSupplier = webClientBuilderSupplier;
		this.jsonMapper = jsonMapper;
		this.meterRegistry = meterRegistry;
		this.observationRegistry = observationRegistry;
		this.customizers = customizers;
		this.tls = tls;
		this.redisConnection = redisConnection;
		this.circuitBreakers = circuitBreakers;
		this.observation = observation;
	}

	/**
	 * Return the client, making it on the first call. Concurrent first callers wait for the one that makes it,
	 * as for a class initialization: the work is CPU only (the pool connects on demand, Reactor Netty starts its
	 * event loops with the first connection). A supplied {@link WebClient.Builder} (an application context's
	 * prototype bean) is asked for before the lock is taken, so the context is never called into while it is held.
	 */
	private HttpClient client() {
		HttpClient client = this.client;
		if (client != null) {
			return client;
		}
		boolean closedFirst;
		synchronized (this.lock) {
			closedFirst = this.closed;
		}
		// A client first used after its application context closed must not ask that context for a builder: it
		// is made closed, on a plain builder, and refuses the call as any closed client does.
		WebClient.Builder webClientBuilder = closedFirst ? WebClient.builder() : webClientBuilder();
		synchronized (this.lock) {
			client = this.client;
			if (client == null) {
				client = new DefaultHttpClient(this.config, webClientBuilder,
						(this.jsonMapper != null) ? this.jsonMapper : DefaultHttpClient.defaultJsonMapper(),
						this.meterRegistry, this.observationRegistry, this.customizers, this.tls,
						this.redisConnection, this.circuitBreakers,
						this.observation);
				if (this.closed) {
					// Refuses calls as any closed client does.
					client.close();
				}
				this.client = client;
			}
		}
		return client;
	}

	private WebClient.Builder webClientBuilder() {
		if (this.webClientBuilder != null) {
			return this.webClientBuilder;
		}
		WebClient.Builder supplied = (this.webClientBuilderSupplier != null) ? this.webClientBuilderSupplier.get()
				: null;
		return (supplied != null) ? supplied.clone() : WebClient.builder();
	}

	@Override
	public HttpExchangeAdapter exchangeAdapter() {
		return new LazyExchangeAdapter(this::client);
	}

	@Override
	public RequestSpec method(HttpMethod method, String uriTemplate, Object... uriVariables) {
		return client().method(method, uriTemplate, uriVariables);
	}

	@Override
	public RequestSpec method(HttpMethod method, String uriTemplate, Map<String, ?> uriVariables) {
		return client().method(method, uriTemplate, uriVariables);
	}

	@Override
	public HttpConfig config() {
		return this.config;
	}

	@Override
	public HttpClientState state() {
		HttpClient client = this.client;
		if (client != null) {
			return client.state();
		}
		HttpConfig config = this.config;
		long retryBudget = new RetryBudget(config.retry().budgetPercent(), config.retry().budgetMinPerSecond(),
				System::nanoTime)
			.remaining();
		Redactor redactor = new Redactor(config.observability().redactHeaders(),
				config.observability().redactQueryParams());
		String circuit = config.circuitBreaker().enabled() ? "closed" : "disabled";
		return DefaultHttpClient.state(config, redactor, Duration.ZERO, retryBudget, 0, 0, 0, circuit);
	}

	@Override
	public void close() {
		HttpClient client;
		synchronized (this.lock) {
			this.closed = true;
			client = this.client;
		}
		if (client != null) {
			client.close();
		}
	}

	@Override
	public Mono<Void> closeGracefully() {
		return Mono.defer(() -> {
			HttpClient client;
			synchronized (this.lock) {
				this.closed = true;
				client = this.client;
			}
			return (client != null) ? client.closeGracefully() : Mono.empty();
		});
	}

	@Override
	public void closeGracefully(Runnable callback) {
		HttpClient client;
		synchronized (this.lock) {
			this.closed = true;
			client = this.client;
		}
		if (client != null) {
			client.closeGracefully(callback);
		}
		else {
			callback.run();
		}
	}

	@Override
	public String toString() {
		return "HttpClient '" + this.config.name() + "'"
				+ ((this.config.baseUrl() != null) ? " for " + this.config.baseUrl() : "");
	}

}
