package io.pepperpy.network.http;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.TlsSetup;
import io.pepperpy.network.internal.circuit.CircuitGuard;
import io.pepperpy.network.internal.limit.GateSettings;
import io.pepperpy.network.internal.limit.PermitGate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.invoker.HttpExchangeAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;
import org.springframework.web.util.DefaultUriBuilderFactory;

/**
 * The {@link HttpClient} implementation: builds one Reactor Netty connector and connection pool per client
 * ({@link NettyConnectorFactory}) and the WebClient on it, and runs each call through the pipeline, one stage per
 * file, in the order a request meets them:
 * <pre>
 * DefaultRequestSpec   the request spec, worked out into a Call when subscribed
 * CallOperator         the call: deadline, pepperpy.http.client.calls, the call observation
 * RetryLoop            one attempt after another, waiting on Reactor timers
 *   RateLimitOperator  a permit before each attempt (PermitGate: RateGate or RedisRateGate)
 *   Attempt            interceptors, send, per-attempt timeout, redirects within the attempt
 *   FollowUpDecider    deliver, redirect, retry or fail: statuses and transport errors alike; reads the
 *                      partner's quota headers into the PermitGate
 * ResponseDecoder      the body as asked; status errors with their body snippet
 * </pre>
 */
final class DefaultHttpClient implements HttpClient {

	private static final int MAX_PROXIED_CLIENTS = 16;

	private final HttpConfig config;

	private final Logger logger;

	private final ConnectionProvider connectionProvider;

	private final reactor.netty.http.client.HttpClient connector;

	private final WebClient webClient;

	private final ConcurrentMap<String, WebClient> proxiedClients = new ConcurrentHashMap<>();

	private final DefaultUriBuilderFactory uriBuilderFactory;

	private final @Nullable URI baseUrl;

	private final HttpHeaders defaultHeaders;

	/** The base URL without a trailing slash, as WebClient prefixes an interface's URI templates with it. */
	private final @Nullable String baseUrlPrefix;

	private final Redactor redactor;

	private final PoolStats poolStats = new PoolStats();

	private final ClientMetrics metrics;

	private final ObservationRegistry observationRegistry;

	private final PermitGate gate;

	private final RetryBudget budget;

	private final ResponseDecoder decoder;

	private final RetryLoop retryLoop;

	/** The client's circuit breaker, or {@code null} when it has none. */
	private final @Nullable CircuitGuard circuit;

	/** The adapter of the client's HTTP interfaces, made on first use. */
	private volatile @Nullable ServiceExchangeAdapter serviceAdapter;

	private volatile boolean closed;

	/**
	 * Whether calls still in flight were cut, once the shutdown grace period ran out.
	 */
	private volatile boolean cut;

	/**
	 * The client's open connections (a closed one leaves the group by itself), so that those still in use when the
	 * shutdown grace period runs out can be closed: the pool's own disposal leaves connections in use alone.
	 */
	private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

	private final AtomicInteger inFlight = new AtomicInteger();

	DefaultHttpClient(HttpConfig config, WebClient.Builder webClientBuilder, JsonMapper jsonMapper,
			@Nullable MeterRegistry meterRegistry, @Nullable ObservationRegistry observationRegistry,
			List<HttpClientCustomizer> customizers, TlsSetup tls, @Nullable Object redisConnection,
			@Nullable CircuitBreakerRegistry circuitBreakers, ObservationSettings observation) {
		this.config = config;
		this.logger = LoggerFactory.getLogger(HttpClient.class.getName() + "." + config.name());
		this.redactor = new Redactor(config.observability().redactHeaders(),
				config.observability().redactQueryParams());
		this.metrics = new ClientMetrics(config.observability().metrics() ? meterRegistry : null, config.name(),
				config.observability().metricsPerAttempt());
		this.baseUrl = (config.baseUrl() != null) ? URI.create(config.baseUrl()) : null;
		String base = config.baseUrl();
		this.baseUrlPrefix = (base == null) ? null : base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
		HttpHeaders defaults = new HttpHeaders();
		config.headers().forEach(defaults::set);
		this.defaultHeaders = HttpHeaders.readOnlyHttpHeaders(defaults);
		this.uriBuilderFactory = (config.baseUrl() != null) ? new DefaultUriBuilderFactory(config.baseUrl())
				: new DefaultUriBuilderFactory();
		this.connectionProvider = NettyConnectorFactory.pool(config, this.poolStats);
		this.metrics.connections(this.poolStats);
		reactor.netty.http.client.HttpClient connector = NettyConnectorFactory
			.connector(config, this.connectionProvider, tls)
			.doOnConnected((connection) -> this.connections.add(connection.channel()));
		for (HttpClientCustomizer customizer : customizers) {
			connector = customizer.customizeConnector(config.name(), connector);
		}
		this.connector = connector;
		String proxy = config.transport().proxy();
		List<String> nonProxyHosts = config.transport().nonProxyHosts();
		if (ProxySettings.SYSTEM.equalsIgnoreCase(proxy)) {
			ProxySettings.Resolved system = ProxySettings.system(System.getProperties(), System.getenv());
			proxy = (system != null) ? system.url() : null;
			if (system != null) {
				nonProxyHosts = new ArrayList<>(nonProxyHosts);
				nonProxyHosts.addAll(system.nonProxyHosts());
			}
			this.logger.debug("HTTP client '{}' uses the environment's proxy: {}, except for {}", config.name(),
					(proxy != null) ? ProxySettings.redact(proxy) : "none", nonProxyHosts);
		}
		reactor.netty.http.client.HttpClient configured = (proxy != null)
				? NettyConnectorFactory.withProxy(this.connector, ProxySettings.parse(proxy),
						NettyConnectorFactory.connectTimeout(config), NonProxyHosts.of(nonProxyHosts))
				: this.connector;
		webClientBuilder.clientConnector(new ReactorClientHttpConnector(configured))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(config.decoding().maxInMemorySize()));
		if (config.observability().observation()) {
			ClientRequestObservationConvention convention = observation.convention();
			webClientBuilder.observationConvention((convention != null) ? convention
					: new ClientObservationConvention(observation.name(), config.name(), this.redactor,
							this.metrics::uriTag));
			this.observationRegistry = (observationRegistry != null) ? observationRegistry : ObservationRegistry.NOOP;
		}
		else {
			webClientBuilder.observationRegistry(ObservationRegistry.NOOP);
			this.observationRegistry = ObservationRegistry.NOOP;
		}
		for (HttpClientCustomizer customizer : customizers) {
			customizer.customize(config.name(), webClientBuilder);
		}
		this.webClient = webClientBuilder.build();
		this.gate = createGate(config, redisConnection, this.metrics, this.logger);
		this.budget = new RetryBudget(config.retry().budgetPercent(), config.retry().budgetMinPerSecond(),
				System::nanoTime);
		this.decoder = new ResponseDecoder(jsonMapper, config.decoding().maxInMemorySize(), this.logger);
		FollowUpDecider decider = new FollowUpDecider(config, this.gate, this.budget, this.metrics, this.logger);
		Attempt attempt = new Attempt(config, decider, this.decoder, this.poolStats, this.metrics, this.redactor,
				this.logger, this::cutFailure);
		this.circuit = CircuitGuard.create(config.name(), "HTTP client '" + config.name() + "'",
				config.circuitBreaker(), circuitBreakers, this.logger,
				config.observability().metrics() ? meterRegistry : null, ClientMetrics.PREFIX,
				List.of(Tag.of("client", config.name())));
		this.retryLoop = new RetryLoop(attempt, decider, this.gate, config.effectiveRateLimitTimeout(),
				this::isCut, this.circuit);
	}

	private static PermitGate createGate(HttpConfig config, @Nullable Object redisConnection, ClientMetrics metrics,
			Logger logger) {
		String owner = "HTTP client '" + config.name() + "'";
		GateSettings settings = GateSettings.of(owner, config.name(), config.rateLimit());
		boolean shared = settings.shared();
		return PermitGate.create(settings, redisConnection, metrics.rateLimitListener(shared ? "redis" : "local"),
				logger);
	}

	static JsonMapper defaultJsonMapper() {
		return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
	}

	@Override
	public RequestSpec method(HttpMethod method, String uriTemplate, Object... uriVariables) {
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(uriTemplate, "uriTemplate must not be null");
		return new DefaultRequestSpec(this, method, uriTemplate, (uriVariables != null) ? uriVariables : new Object[0]);
	}

	@Override
	public RequestSpec method(HttpMethod method, String uriTemplate, Map<String, ?> uriVariables) {
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(uriTemplate, "uriTemplate must not be null");
		return new DefaultRequestSpec(this, method, uriTemplate, (uriVariables != null) ? uriVariables : Map.of());
	}

	/**
	 * Run an exchange that came through the client's WebClient (see {@link ServiceExchangeFilter}) through the
	 * pipeline, with the client's settings: a 2xx response is delivered, not decoded (Spring's adapter reads it);
	 * any other status fails as it would through the client's own requests (which is what Spring's adapter does
	 * with it too), with why it was not retried.
	 */
	Mono<ClientResponse> exchange(ClientRequest request, ExchangeFunction next, boolean oneShotBody) {
		return Mono.defer(() -> {
			URI url = request.url();
			Origins.check(this.baseUrl, url, request.method(), this.redactor);
			HttpHeaders headers = new HttpHeaders();
			headers.putAll(this.defaultHeaders);
			headers.putAll(request.headers());
			String uriTemplate = uriTemplate(request);
			Call call = new Call(request.method(), url, this.redactor, uriTemplate, headers, request.body(),
					oneShotBody, this.webClient, this.config.timeouts().attempt(), this.config.timeouts().deadline(),
					this.config.retry().settings().maxRetries(), false, this.config.retry().settings().delay(), true,
					this.config.retry().nonIdempotent());
			return execute(call, (sent, response) -> Mono.just(response), request, next);
		});
	}

	/**
	 * The URI template of an exchange as the interface method declares it: WebClient records it resolved against
	 * the base URL, so the base URL comes off again, and the {@code uri} tag is the same as for the client's own
	 * requests to the same endpoint.
	 */
	private String uriTemplate(ClientRequest request) {
		Object recorded = request.attribute(Attempt.URI_TEMPLATE_ATTRIBUTE).orElse(null);
		if (!(recorded instanceof String template)) {
			return request.url().getRawPath();
		}
		String prefix = this.baseUrlPrefix;
		if (prefix != null) {
			if (template.startsWith(prefix) && (template.length() == prefix.length()
					|| template.charAt(prefix.length()) == '/' || template.charAt(prefix.length()) == '?')) {
				String rest = template.substring(prefix.length());
				return rest.isEmpty() ? "/" : rest;
			}
		}
		return template;
	}

	/**
	 * Run a prepared call through the pipeline: refused at once when the client is closed, otherwise counted in
	 * flight (for a graceful close) while the retry loop runs under the call stage.
	 */
	<R> Mono<R> execute(Call call, ResponseHandler<R> handler) {
		return execute(call, handler, null, null);
	}

	private <R> Mono<R> execute(Call call, ResponseHandler<R> handler, @Nullable ClientRequest request,
			@Nullable ExchangeFunction next) {
		return Mono.defer(() -> {
			if (this.closed) {
				return Mono.error(NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
						call.method() + " " + call.displayUrl() + " was not sent: HTTP client '" + this.config.name()
								+ "' is closed",
						call.method().name(), call.displayUrl(), null));
			}
			this.inFlight.incrementAndGet();
			boolean metered = this.metrics.enabled();
			CallState<R> state = new CallState<>(call, handler, this.metrics,
					metered || !this.observationRegistry.isNoop());
			state.request = request;
			state.exchange = next;
			this.budget.recordCall();
			return this.retryLoop.run(state)
				.transform(new CallOperator<>(state, this.config.name(), metered, this.observationRegistry))
				.doFinally((signal) -> this.inFlight.decrementAndGet());
		});
	}

	@Override
	public <S> S service(Class<S> serviceType) {
		return HttpServiceProxyFactory.builderFor(exchangeAdapter()).build().createClient(serviceType);
	}

	@Override
	public HttpExchangeAdapter exchangeAdapter() {
		ServiceExchangeAdapter adapter = this.serviceAdapter;
		if (adapter == null) {
			WebClient services = this.webClient.mutate()
				.uriBuilderFactory(this.uriBuilderFactory)
				.filter(new ServiceExchangeFilter(this))
				.build();
			adapter = new ServiceExchangeAdapter(WebClientAdapter.create(services), this.redactor);
			this.serviceAdapter = adapter;
		}
		return adapter;
	}

	@Override
	public HttpConfig config() {
		return this.config;
	}

	Redactor redactor() {
		return this.redactor;
	}

	ResponseDecoder decoder() {
		return this.decoder;
	}

	DefaultUriBuilderFactory uriBuilderFactory() {
		return this.uriBuilderFactory;
	}

	@Nullable URI baseUrl() {
		return this.baseUrl;
	}

	HttpHeaders defaultHeaders() {
		return this.defaultHeaders;
	}

	/**
	 * Return the WebClient for a request's proxy: the client's own when it is the configured one, else one on the
	 * same connector through that proxy (the last {@value #MAX_PROXIED_CLIENTS} kept).
	 */
	WebClient webClientFor(@Nullable String proxy) {
		if (proxy == null) {
			return this.webClient;
		}
		WebClient cached = this.proxiedClients.get(proxy);
		if (cached != null) {
			return cached;
		}
		WebClient client = this.webClient.mutate()
			.clientConnector(new ReactorClientHttpConnector(
					NettyConnectorFactory.withProxy(this.connector, ProxySettings.parse(proxy),
							NettyConnectorFactory.connectTimeout(this.config), NonProxyHosts.of(List.of()))))
			.build();
		if (this.proxiedClients.size() < MAX_PROXIED_CLIENTS) {
			this.proxiedClients.putIfAbsent(proxy, client);
		}
		return client;
	}

	@Override
	public HttpClientState state() {
		return state(this.config, this.redactor, this.gate.pausedFor(), this.budget.remaining(),
				this.poolStats.active(), this.poolStats.idle(), this.poolStats.pending(),
				(this.circuit != null) ? this.circuit.state() : "disabled");
	}

	/**
	 * Return a client's state: its effective configuration, secrets redacted, and the live figures given.
	 */
	static HttpClientState state(HttpConfig config, Redactor redactor, Duration pausedFor, long retryBudgetRemaining,
			int activeConnections, int idleConnections, int pendingAcquires, String circuitBreaker) {
		Map<String, Object> configuration = new LinkedHashMap<>();
		configuration.put("base-url", config.baseUrl());
		Map<String, String> headers = new LinkedHashMap<>();
		config.headers()
			.forEach((name, value) -> headers.put(name, redactor.isSecretHeader(name) ? Redactor.MASK : value));
		configuration.put("headers", headers);
		configuration.put("timeout", config.timeouts().attempt());
		configuration.put("connect-timeout", config.timeouts().connect());
		configuration.put("deadline", config.timeouts().deadline());
		configuration.put("retries", config.retry().settings().maxRetries());
		configuration.put("retry-delay", config.retry().settings().delay());
		configuration.put("retry-backoff-multiplier", config.retry().settings().multiplier());
		configuration.put("retry-max-delay", config.retry().settings().maxDelay());
		configuration.put("retry-jitter", config.retry().settings().jitter());
		configuration.put("retry-on-status", new TreeSet<>(config.retry().onStatus()));
		configuration.put("retry-non-idempotent", config.retry().nonIdempotent());
		configuration.put("retry-after-max", config.retry().afterMax());
		configuration.put("retry-budget-percent", config.retry().budgetPercent());
		configuration.put("verify-ssl", config.transport().verifySsl());
		configuration.put("response-format", config.decoding().format());
		configuration.put("raise-for-status", config.decoding().raiseForStatus());
		configuration.put("circuit-breaker", config.circuitBreaker());
		configuration.put("max-rate-limit", config.rateLimit().maxPerSecond());
		configuration.put("rate-limit-timeout", config.effectiveRateLimitTimeout());
		String proxy = config.transport().proxy();
		configuration.put("proxy", (proxy != null) ? ProxySettings.redact(proxy) : null);
		configuration.put("non-proxy-hosts", config.transport().nonProxyHosts());
		configuration.put("max-in-memory-size", config.decoding().maxInMemorySize());
		configuration.put("interceptors",
				config.interceptors().stream().map((interceptor) -> interceptor.getClass().getName()).toList());
		return new HttpClientState(config.name(), Collections.unmodifiableMap(configuration),
				config.rateLimit().maxPerSecond(), pausedFor, retryBudgetRemaining, activeConnections, idleConnections,
				pendingAcquires, circuitBreaker);
	}

	@Override
	public void close() {
		this.closed = true;
		this.connectionProvider.dispose();
	}

	@Override
	public Mono<Void> closeGracefully() {
		return Mono.defer(() -> {
			this.closed = true;
			Duration grace = this.config.transport().shutdownGracePeriod();
			if (this.inFlight.get() > 0) {
				this.logger.info("Closing HTTP client '{}': waiting up to {} ms for {} call(s) in flight",
						this.config.name(), grace.toMillis(), this.inFlight.get());
			}
			return Flux.interval(Duration.ofMillis(20))
				.filter((tick) -> this.inFlight.get() == 0)
				.next()
				.timeout(grace, Mono.fromRunnable(this::cutCallsInFlight))
				.then(this.connectionProvider.disposeLater());
		});
	}

	/**
	 * Cut the calls still in flight when the grace period runs out: their connections are closed, and each fails
	 * with a {@link NetworkException} that says so ({@link #cutFailure}), never retried.
	 */
	private void cutCallsInFlight() {
		this.logger.warn("HTTP client '{}' cuts {} call(s) still in flight after its shutdown-grace-period of {} ms",
				this.config.name(), this.inFlight.get(), this.config.transport().shutdownGracePeriod().toMillis());
		this.cut = true;
		this.connections.close();
	}

	/**
	 * Return whether the client cut its calls in flight, so that no further attempt of a call starts.
	 */
	boolean isCut() {
		return this.cut;
	}

	/**
	 * Return the failure of an attempt the shutdown cut, or {@code null} when the client did not cut it.
	 */
	@Nullable NetworkException cutFailure(Call call, Throwable cause) {
		if (!this.cut) {
			return null;
		}
		return NetworkException.of(NetworkException.Kind.IO,
				call.method() + " " + call.displayUrl() + " was cut: HTTP client '" + this.config.name()
						+ "' closed and its shutdown-grace-period of "
						+ this.config.transport().shutdownGracePeriod().toMillis()
						+ " ms ran out",
				call.method().name(), call.displayUrl(), cause);
	}

	@Override
	public String toString() {
		return "HttpClient '" + this.config.name() + "'"
				+ ((this.config.baseUrl() != null) ? " for " + this.config.baseUrl() : "");
	}

}
