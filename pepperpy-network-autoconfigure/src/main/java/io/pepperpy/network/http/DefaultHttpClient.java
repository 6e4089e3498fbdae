package io.pepperpy.network.http;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.limit.PermitGate;
import io.pepperpy.network.limit.RateGate;
import io.pepperpy.network.limit.RateLimitSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.observability.DefaultSignalListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.DefaultUriBuilderFactory;

/**
 * The {@link HttpClient} implementation: one Reactor Netty connector and connection pool per client, a
 * resilience4j rate limiter shared by the client's calls, and a retry loop driven by Spring's
 * {@link RetryPolicy} and executed with Reactor timers.
 */
final class DefaultHttpClient implements HttpClient {

	/**
	 * The request attribute WebClient's observation reads the URI template from.
	 */
	static final String URI_TEMPLATE_ATTRIBUTE = WebClient.class.getName() + ".uriTemplate";

	private static final Set<HttpMethod> IDEMPOTENT_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD,
			HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

	private static final int MAX_PROXIED_CLIENTS = 16;

	/**
	 * The call-level observation exists to parent the attempts' spans; without Micrometer Tracing it would only
	 * duplicate {@code pepperpy.http.client.calls} at the cost of an observation per call.
	 */
	private static final boolean TRACING_PRESENT = org.springframework.util.ClassUtils
		.isPresent("io.micrometer.tracing.Tracer", DefaultHttpClient.class.getClassLoader());

	private final HttpConfig config;

	private final Logger logger;

	private final ConnectionProvider connectionProvider;

	private final reactor.netty.http.client.HttpClient connector;

	private final WebClient webClient;

	private final ConcurrentMap<String, WebClient> proxiedClients = new ConcurrentHashMap<>();

	private final DefaultUriBuilderFactory uriBuilderFactory;

	private final @Nullable URI baseUrl;

	private final PermitGate gate;

	private final RetryBudget budget;

	private final RetryPolicy defaultRetryPolicy;

	private final ClientMetrics metrics;

	private final Mono<Object> timeoutFallback;

	private final java.time.Clock wallClock = java.time.Clock.systemUTC();

	private final Redactor redactor;

	private final PoolStats poolStats = new PoolStats();

	private final HttpHeaders defaultHeaders;

	private final JavaType objectType;

	private final ObservationRegistry observationRegistry;

	private final JsonMapper jsonMapper;

	private final List<RequestInterceptor> interceptors;

	private final List<RequestInterceptor> reversedInterceptors;

	DefaultHttpClient(HttpConfig config, WebClient.Builder webClientBuilder, JsonMapper jsonMapper,
			@Nullable MeterRegistry meterRegistry, @Nullable ObservationRegistry observationRegistry,
			List<HttpClientCustomizer> customizers, javax.net.ssl.@Nullable KeyManagerFactory keyManagers,
			javax.net.ssl.@Nullable TrustManagerFactory trustManagers, @Nullable Object redisConnection) {
		this.config = config;
		this.logger = LoggerFactory.getLogger(HttpClient.class.getName() + "." + config.name());
		this.redactor = new Redactor(config.redactHeaders(), config.redactQueryParams());
		this.timeoutFallback = timeoutError(config.timeout());
		this.metrics = new ClientMetrics(config.metricsEnabled() ? meterRegistry : null, config.name(),
				config.metricsPerAttempt());
		this.jsonMapper = jsonMapper;
		this.objectType = jsonMapper.constructType(Object.class);
		this.interceptors = config.interceptors();
		List<RequestInterceptor> reversed = new ArrayList<>(config.interceptors());
		Collections.reverse(reversed);
		this.reversedInterceptors = List.copyOf(reversed);
		this.baseUrl = (config.baseUrl() != null) ? URI.create(config.baseUrl()) : null;
		HttpHeaders defaults = new HttpHeaders();
		config.headers().forEach(defaults::set);
		this.defaultHeaders = HttpHeaders.readOnlyHttpHeaders(defaults);
		this.uriBuilderFactory = (config.baseUrl() != null) ? new DefaultUriBuilderFactory(config.baseUrl())
				: new DefaultUriBuilderFactory();
		HttpConfig.Pool pool = config.pool();
		this.connectionProvider = ConnectionProvider.builder("pepperpy-" + config.name())
			.maxConnections(pool.maxConnections())
			.pendingAcquireMaxCount(pool.pendingAcquireMaxCount())
			.pendingAcquireTimeout(pool.pendingAcquireTimeout())
			.maxIdleTime(pool.maxIdleTime())
			.maxLifeTime(pool.maxLifeTime())
			.evictInBackground(pool.evictionInterval())
			.metrics(true, () -> this.poolStats)
			.build();
		this.metrics.connections(this.poolStats);
		reactor.netty.http.client.HttpClient connector = createConnector(config, this.connectionProvider,
				keyManagers, trustManagers);
		for (HttpClientCustomizer customizer : customizers) {
			connector = customizer.customizeConnector(config.name(), connector);
		}
		this.connector = connector;
		reactor.netty.http.client.HttpClient configured = (config.proxy() != null)
				? withProxy(this.connector, ProxySettings.parse(config.proxy())) : this.connector;
		webClientBuilder.clientConnector(new ReactorClientHttpConnector(configured))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(config.maxInMemorySize()));
		if (config.observationEnabled()) {
			webClientBuilder.observationConvention(
					new ClientObservationConvention(config.name(), this.redactor, this.metrics::uriTag));
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
		this.defaultRetryPolicy = buildRetryPolicy(config.retries(), config.retryDelay());
		this.gate = createGate(config, redisConnection, this.metrics, this.logger);
		this.budget = new RetryBudget(config.retryBudgetPercent(), config.retryBudgetMinPerSecond(), System::nanoTime);
	}

	private static PermitGate createGate(HttpConfig config, @Nullable Object redisConnection, ClientMetrics metrics,
			Logger logger) {
		String owner = "HTTP client '" + config.name() + "'";
		boolean shared = config.rateLimit().backend() == HttpConfig.RateLimit.Backend.REDIS;
		RateLimitSettings settings = shared
				? new RateLimitSettings(owner, config.maxRateLimit(), config.effectiveRateLimitKey(),
						config.rateLimit().expectedInstances(), config.rateLimit().commandTimeout())
				: RateLimitSettings.local(owner, config.maxRateLimit());
		return PermitGate.create(settings, redisConnection, metrics.rateLimitListener(shared ? "redis" : "local"),
				logger);
	}

	static JsonMapper defaultJsonMapper() {
		return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
	}

	private static reactor.netty.http.client.HttpClient createConnector(HttpConfig config,
			ConnectionProvider provider, javax.net.ssl.@Nullable KeyManagerFactory keyManagers,
			javax.net.ssl.@Nullable TrustManagerFactory trustManagers) {
		Duration connectTimeout = (config.connectTimeout().compareTo(config.timeout()) < 0) ? config.connectTimeout()
				: config.timeout();
		reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create(provider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
			.compress(true);
		if (config.http2()) {
			client = client.protocol(reactor.netty.http.HttpProtocol.H2, reactor.netty.http.HttpProtocol.HTTP11);
		}
		if (config.verifySsl() && (keyManagers != null || trustManagers != null)) {
			Http11SslContextSpec tls = Http11SslContextSpec.forClient().configure((builder) -> {
				if (keyManagers != null) {
					builder.keyManager(keyManagers);
				}
				if (trustManagers != null) {
					builder.trustManager(trustManagers);
				}
			});
			client = client.secure((spec) -> spec.sslContext(tls));
		}
		if (!config.verifySsl()) {
			// LazyHttpClient warned when the client was built.
			Http11SslContextSpec insecure = Http11SslContextSpec.forClient()
				.configure((builder) -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE));
			client = client.secure((spec) -> spec.sslContext(insecure).handlerConfigurator((handler) -> {
				SSLEngine engine = handler.engine();
				SSLParameters parameters = engine.getSSLParameters();
				parameters.setEndpointIdentificationAlgorithm(null);
				engine.setSSLParameters(parameters);
			}));
		}
		return client;
	}

	private static reactor.netty.http.client.HttpClient withProxy(reactor.netty.http.client.HttpClient client,
			ProxySettings proxy) {
		return client.proxy((spec) -> {
			var builder = spec.type(proxy.type()).host(proxy.host()).port(proxy.port());
			if (proxy.username() != null) {
				builder.username(proxy.username());
			}
			if (proxy.password() != null) {
				String password = proxy.password();
				builder.password((user) -> password);
			}
			builder.nonProxyHostsPredicate((address) -> false);
		});
	}

	@Override
	public RequestSpec method(HttpMethod method, String uriTemplate, Object... uriVariables) {
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(uriTemplate, "uriTemplate must not be null");
		return new DefaultRequestSpec(method, uriTemplate, (uriVariables != null) ? uriVariables : new Object[0]);
	}

	@Override
	public RequestSpec method(HttpMethod method, String uriTemplate, Map<String, ?> uriVariables) {
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(uriTemplate, "uriTemplate must not be null");
		return new DefaultRequestSpec(method, uriTemplate, (uriVariables != null) ? uriVariables : Map.of());
	}

	@Override
	public HttpConfig config() {
		return this.config;
	}

	@Override
	public HttpClientState state() {
		return state(this.config, this.redactor, this.gate.pausedFor(), this.budget.remaining(),
				this.poolStats.active(), this.poolStats.idle(), this.poolStats.pending());
	}

	/**
	 * Return a client's state: its effective configuration, secrets redacted, and the live figures given.
	 */
	static HttpClientState state(HttpConfig config, Redactor redactor, Duration pausedFor, long retryBudgetRemaining,
			int activeConnections, int idleConnections, int pendingAcquires) {
		Map<String, Object> configuration = new java.util.LinkedHashMap<>();
		configuration.put("base-url", config.baseUrl());
		Map<String, String> headers = new java.util.LinkedHashMap<>();
		config.headers()
			.forEach((name, value) -> headers.put(name, redactor.isSecretHeader(name) ? Redactor.MASK : value));
		configuration.put("headers", headers);
		configuration.put("timeout", config.timeout());
		configuration.put("connect-timeout", config.connectTimeout());
		configuration.put("deadline", config.deadline());
		configuration.put("retries", config.retries());
		configuration.put("retry-delay", config.retryDelay());
		configuration.put("retry-backoff-multiplier", config.retryBackoffMultiplier());
		configuration.put("retry-max-delay", config.retryMaxDelay());
		configuration.put("retry-jitter", config.retryJitter());
		configuration.put("retry-on-status", new java.util.TreeSet<>(config.retryOnStatus()));
		configuration.put("retry-non-idempotent", config.retryNonIdempotent());
		configuration.put("retry-after-max", config.retryAfterMax());
		configuration.put("retry-budget-percent", config.retryBudgetPercent());
		configuration.put("verify-ssl", config.verifySsl());
		configuration.put("response-format", config.responseFormat());
		configuration.put("raise-for-status", config.raiseForStatus());
		configuration.put("max-rate-limit", config.maxRateLimit());
		configuration.put("rate-limit-timeout", config.effectiveRateLimitTimeout());
		configuration.put("proxy", (config.proxy() != null) ? ProxySettings.redact(config.proxy()) : null);
		configuration.put("max-in-memory-size", config.maxInMemorySize());
		configuration.put("interceptors",
				config.interceptors().stream().map((interceptor) -> interceptor.getClass().getName()).toList());
		return new HttpClientState(config.name(), java.util.Collections.unmodifiableMap(configuration),
				config.maxRateLimit(), pausedFor, retryBudgetRemaining, activeConnections, idleConnections,
				pendingAcquires);
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
			Duration grace = this.config.shutdownGracePeriod();
			if (this.inFlight.get() > 0) {
				this.logger.info("Closing HTTP client '{}': waiting up to {} ms for {} call(s) in flight",
						this.config.name(), grace.toMillis(), this.inFlight.get());
			}
			return Flux.interval(Duration.ofMillis(20))
				.filter((tick) -> this.inFlight.get() == 0)
				.next()
				.timeout(grace, Mono.fromRunnable(() -> this.logger.warn(
						"HTTP client '{}' closed with {} call(s) still in flight after its shutdown-grace-period",
						this.config.name(), this.inFlight.get())))
				.then(this.connectionProvider.disposeLater());
		});
	}

	private volatile boolean closed;

	private final AtomicInteger inFlight = new AtomicInteger();

	@Override
	public String toString() {
		return "HttpClient '" + this.config.name() + "'"
				+ ((this.config.baseUrl() != null) ? " for " + this.config.baseUrl() : "");
	}

	private WebClient webClientFor(@Nullable String proxy) {
		if (proxy == null) {
			return this.webClient;
		}
		WebClient cached = this.proxiedClients.get(proxy);
		if (cached != null) {
			return cached;
		}
		WebClient client = this.webClient.mutate()
			.clientConnector(new ReactorClientHttpConnector(withProxy(this.connector, ProxySettings.parse(proxy))))
			.build();
		if (this.proxiedClients.size() < MAX_PROXIED_CLIENTS) {
			this.proxiedClients.putIfAbsent(proxy, client);
		}
		return client;
	}

	/**
	 * What one call needs, worked out once before the first attempt.
	 */
	private record Call(HttpMethod method, URI url, Redactor redactor, String uriTemplate, HttpHeaders headers,
			@Nullable BodyInserter<?, ? super org.springframework.http.client.reactive.ClientHttpRequest> body,
			boolean oneShotBody, WebClient webClient, Duration timeout, @Nullable Duration deadline, int retries,
			boolean retriesExplicit, Duration retryDelay, boolean raiseForStatus, boolean retryNonIdempotent) {

		/**
		 * The URL as it may be shown: computed only when a message or log line needs it.
		 */
		String displayUrl() {
			return this.redactor.url(this.url);
		}

		boolean mayRetryAfterSending() {
			return IDEMPOTENT_METHODS.contains(this.method) || this.retriesExplicit || this.retryNonIdempotent
					|| this.headers.containsHeader("Idempotency-Key");
		}

	}

	private final class DefaultRequestSpec implements RequestSpec {

		private final HttpMethod method;

		private final String uriTemplate;

		private final Object uriVariables;

		/** The request's own headers, made on the first one (most requests have none). */
		private @Nullable HttpHeaders headers;

		private @Nullable BodyInserter<?, ? super org.springframework.http.client.reactive.ClientHttpRequest> body;

		private @Nullable MediaType contentType;

		private ResponseFormat responseFormat = DefaultHttpClient.this.config.responseFormat();

		private @Nullable Integer retries;

		private Duration retryDelay = DefaultHttpClient.this.config.retryDelay();

		private boolean raiseForStatus = DefaultHttpClient.this.config.raiseForStatus();

		private @Nullable String proxy = DefaultHttpClient.this.config.proxy();

		private Duration timeout = DefaultHttpClient.this.config.timeout();

		private @Nullable Duration deadline = DefaultHttpClient.this.config.deadline();

		private boolean oneShotBody;

		DefaultRequestSpec(HttpMethod method, String uriTemplate, Object uriVariables) {
			this.method = method;
			this.uriTemplate = uriTemplate;
			this.uriVariables = uriVariables;
		}

		@Override
		public RequestSpec header(String name, String value) {
			HttpHeaders own = this.headers;
			if (own == null) {
				own = new HttpHeaders();
				this.headers = own;
			}
			own.set(name, value);
			return this;
		}

		@Override
		public RequestSpec headers(Map<String, String> headers) {
			headers.forEach(this::header);
			return this;
		}

		@Override
		public RequestSpec json(Object body) {
			Objects.requireNonNull(body, "body must not be null");
			this.oneShotBody = false;
			this.body = BodyInserters.fromValue(body);
			this.contentType = MediaType.APPLICATION_JSON;
			return this;
		}

		@Override
		public RequestSpec form(Map<String, ?> fields) {
			MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
			fields.forEach((name, value) -> form.add(name, String.valueOf(value)));
			this.body = BodyInserters.fromFormData(form);
			this.contentType = MediaType.APPLICATION_FORM_URLENCODED;
			return this;
		}

		@Override
		public RequestSpec multipart(Consumer<MultipartSpec> parts) {
			MultipartBodyBuilder builder = new MultipartBodyBuilder();
			DefaultMultipartSpec spec = new DefaultMultipartSpec(builder);
			parts.accept(spec);
			this.body = BodyInserters.fromMultipartData(builder.build());
			this.contentType = null;
			this.oneShotBody = spec.oneShot;
			return this;
		}

		@Override
		public RequestSpec body(byte[] body, MediaType contentType) {
			this.body = BodyInserters.fromValue(body.clone());
			this.contentType = contentType;
			return this;
		}

		@Override
		public RequestSpec body(String body, MediaType contentType) {
			this.body = BodyInserters.fromValue(body);
			this.contentType = contentType;
			return this;
		}

		@Override
		public RequestSpec responseFormat(ResponseFormat format) {
			this.responseFormat = Objects.requireNonNull(format, "format must not be null");
			return this;
		}

		@Override
		public RequestSpec retries(int retries) {
			if (retries < 0) {
				throw new IllegalArgumentException("retries must be 0 or more but was " + retries);
			}
			this.retries = retries;
			return this;
		}

		@Override
		public RequestSpec retryDelay(Duration retryDelay) {
			if (retryDelay == null || retryDelay.isNegative()) {
				throw new IllegalArgumentException("retryDelay must not be negative but was " + retryDelay);
			}
			this.retryDelay = retryDelay;
			return this;
		}

		@Override
		public RequestSpec raiseForStatus(boolean raiseForStatus) {
			this.raiseForStatus = raiseForStatus;
			return this;
		}

		@Override
		public RequestSpec proxy(String proxy) {
			ProxySettings.parse(proxy);
			this.proxy = proxy.trim();
			return this;
		}

		@Override
		public RequestSpec timeout(Duration timeout) {
			if (timeout == null || timeout.isNegative() || timeout.isZero()) {
				throw new IllegalArgumentException("timeout must be positive but was " + timeout);
			}
			this.timeout = timeout;
			return this;
		}

		@Override
		public RequestSpec deadline(Duration deadline) {
			if (deadline == null || deadline.isNegative() || deadline.isZero()) {
				throw new IllegalArgumentException("deadline must be positive but was " + deadline);
			}
			this.deadline = deadline;
			return this;
		}

		@Override
		public Mono<Object> retrieve() {
			ResponseFormat format = this.responseFormat;
			return execute((call, response) -> readBody(call, response, format));
		}

		@Override
		public <T> Mono<T> retrieve(Class<T> type) {
			return execute((call, response) -> readBody(call, response, type));
		}

		@Override
		public <T> Mono<T> retrieve(ParameterizedTypeReference<T> type) {
			JavaType javaType = DefaultHttpClient.this.jsonMapper.constructType(type.getType());
			return execute((call, response) -> DefaultHttpClient.this.<T>readJson(call, response, javaType));
		}

		@Override
		public <T> Mono<T> stream(
				java.util.function.Function<Flux<org.springframework.core.io.buffer.DataBuffer>, ? extends Mono<T>> bodyHandler) {
			Objects.requireNonNull(bodyHandler, "bodyHandler must not be null");
			return execute((call, response) -> bodyHandler.apply(response.body(BodyExtractors.toDataBuffers())));
		}

		@Override
		public Mono<HttpResponse<Object>> exchange() {
			ResponseFormat format = this.responseFormat;
			return execute((call, response) -> readBody(call, response, format).map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.map((body) -> new HttpResponse<>(response.statusCode(), response.headers().asHttpHeaders(),
						body.orElse(null))));
		}

		@Override
		public <T> Mono<HttpResponse<T>> exchange(ParameterizedTypeReference<T> type) {
			JavaType javaType = DefaultHttpClient.this.jsonMapper.constructType(type.getType());
			return execute((call, response) -> DefaultHttpClient.this.<T>readJson(call, response, javaType)
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.map((body) -> new HttpResponse<>(response.statusCode(), response.headers().asHttpHeaders(),
						body.orElse(null))));
		}

		@Override
		public <T> Mono<HttpResponse<T>> exchange(Class<T> type) {
			return execute((call, response) -> readBody(call, response, type).map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.map((body) -> new HttpResponse<>(response.statusCode(), response.headers().asHttpHeaders(),
						body.orElse(null))));
		}

		private <R> Mono<R> execute(ResponseHandler<R> handler) {
			return Mono.defer(() -> {
				Call call = prepare();
				return DefaultHttpClient.this.execute(call, handler);
			}).onErrorMap((ex) -> !(ex instanceof NetworkException),
					(ex) -> ErrorTranslator.translate(ex, this.method.name(),
							DefaultHttpClient.this.redactor.template(this.uriTemplate), this.timeout));
		}

		private Call prepare() {
			String methodName = this.method.name();
			if (!isToken(methodName)) {
				throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
						"Refusing request: the method contains characters that are not allowed in an HTTP method",
						null, DefaultHttpClient.this.redactor.template(this.uriTemplate), null);
			}
			URI url;
			try {
				url = (this.uriVariables instanceof Map<?, ?> named)
						? DefaultHttpClient.this.uriBuilderFactory.expand(this.uriTemplate, namedVariables(named))
						: DefaultHttpClient.this.uriBuilderFactory.expand(this.uriTemplate, (Object[]) this.uriVariables);
			}
			catch (RuntimeException ex) {
				String template = DefaultHttpClient.this.redactor.template(this.uriTemplate);
				throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
						"Invalid URL template '" + template + "' for " + this.method + ": " + ex.getClass().getSimpleName(),
						this.method.name(), template, null);
			}
			checkOrigin(url);
			HttpHeaders merged = DefaultHttpClient.this.defaultHeaders;
			HttpHeaders own = this.headers;
			if ((own != null && !own.isEmpty()) || this.contentType != null) {
				merged = new HttpHeaders();
				merged.putAll(DefaultHttpClient.this.defaultHeaders);
				if (own != null) {
					checkHeaders(own, url);
					merged.putAll(own);
				}
				if (this.contentType != null) {
					merged.setContentType(this.contentType);
				}
			}
			int effectiveRetries = (this.retries != null) ? this.retries : DefaultHttpClient.this.config.retries();
			return new Call(this.method, url, DefaultHttpClient.this.redactor, this.uriTemplate, merged, this.body,
					this.oneShotBody, webClientFor(this.proxy), this.timeout, this.deadline, effectiveRetries,
					this.retries != null, this.retryDelay, this.raiseForStatus,
					DefaultHttpClient.this.config.retryNonIdempotent());
		}

		/** Whether an HTTP method is a token (RFC 9110): visible ASCII without separators; no allocation. */
		private static boolean isToken(String methodName) {
			if (methodName.isEmpty()) {
				return false;
			}
			for (int i = 0; i < methodName.length(); i++) {
				char c = methodName.charAt(i);
				if (c <= 32 || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
					return false;
				}
			}
			return true;
		}

		@SuppressWarnings("unchecked")
		private static Map<String, ?> namedVariables(Map<?, ?> variables) {
			return (Map<String, ?>) variables;
		}

		private void checkOrigin(URI url) {
			URI base = DefaultHttpClient.this.baseUrl;
			if (base != null && !sameOrigin(base, url)) {
				String displayUrl = DefaultHttpClient.this.redactor.url(url);
				throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
						"Refusing " + this.method + " " + displayUrl + ": it is outside the origin of the base URL "
								+ origin(base) + ", and default headers (credentials) are only sent there; "
								+ "use a client without base-url (or a separate client) for other hosts",
						this.method.name(), displayUrl, null);
			}
			String scheme = url.getScheme();
			if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
					|| url.getHost() == null) {
				String displayUrl = DefaultHttpClient.this.redactor.url(url);
				throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST, "Refusing " + this.method + " "
						+ displayUrl + ": the URL must be absolute http(s) (no base-url is configured)",
						this.method.name(), displayUrl, null);
			}
		}

		private void checkHeaders(HttpHeaders headers, URI url) {
			headers.forEach((name, values) -> values.forEach((value) -> {
				try {
					HeaderChecks.check(name, value, "request");
				}
				catch (IllegalArgumentException ex) {
					String displayUrl = DefaultHttpClient.this.redactor.url(url);
					throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
							"Refusing " + this.method + " " + displayUrl + ": " + ex.getMessage(), this.method.name(),
							displayUrl, null);
				}
			}));
		}

	}

	@FunctionalInterface
	private interface ResponseHandler<R> {

		Mono<R> handle(Call call, ClientResponse response);

	}

	/**
	 * A retry the policy already approved while handling a response; carries the delay to wait.
	 */
	private static final class ApprovedRetry extends RuntimeException {

		private final long delayMillis;

		ApprovedRetry(NetworkException failure, long delayMillis) {
			super(failure.getMessage(), failure, false, false);
			this.delayMillis = delayMillis;
		}

	}

	/**
	 * The outcome of asking the retry policy about a failed attempt.
	 *
	 * @param delayMillis the delay before the next attempt, or {@code -1} for no retry
	 * @param refusal why a retryable failure is not retried, for the message, or {@code null}
	 */
	private record Decision(long delayMillis, @Nullable String refusal) {

		static final Decision NO = new Decision(-1, null);

		boolean retry() {
			return this.delayMillis >= 0;
		}

	}

	private <R> Mono<R> execute(Call call, ResponseHandler<R> handler) {
		return Mono.defer(() -> {
			if (this.closed) {
				return Mono.error(NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
						call.method() + " " + call.displayUrl() + " was not sent: HTTP client '" + this.config.name()
								+ "' is closed",
						call.method().name(), call.displayUrl(), null));
			}
			this.inFlight.incrementAndGet();
			return executeOpen(call, handler).doFinally((signal) -> this.inFlight.decrementAndGet());
		});
	}

	private <R> Mono<R> executeOpen(Call call, ResponseHandler<R> handler) {
		return Mono.defer(() -> {
			Execution<R> execution = new Execution<>(call, handler);
			this.budget.recordCall();
			Mono<R> result = (call.retries() > 0) ? withRetries(execution) : Mono.defer(execution::nextAttempt);
			if (call.deadline() != null) {
				result = result.timeout(call.deadline(), Mono.error(execution::deadlineExceeded));
			}
			if (this.metrics.enabled()) {
				result = result.tap(() -> execution);
			}
			return observe(call, execution, result);
		});
	}

	/**
	 * An attempt that, when it fails, asks the policy and resubscribes after the delay. Unlike
	 * {@code retryWhen}, this allocates nothing on the success path.
	 */
	private <R> Mono<R> withRetries(Execution<R> execution) {
		return Mono.defer(execution::nextAttempt)
			.onErrorResume((failure) -> execution.onFailure(failure).then(Mono.defer(() -> withRetries(execution))));
	}

	/**
	 * Observe the whole call as {@code pepperpy.http.client.call}, the parent of each attempt's observation, so a
	 * trace shows one span per call with one child per attempt.
	 */
	private <R> Mono<R> observe(Call call, Execution<R> execution, Mono<R> result) {
		if (!TRACING_PRESENT || this.observationRegistry.isNoop()) {
			return result;
		}
		return Mono.deferContextual((context) -> {
			Observation observation = Observation.createNotStarted("pepperpy.http.client.call", this.observationRegistry)
				.contextualName("pepperpy " + call.method().name().toLowerCase(java.util.Locale.ROOT))
				.lowCardinalityKeyValue("client.name", this.config.name())
				.lowCardinalityKeyValue("method", call.method().name())
				.lowCardinalityKeyValue("uri", execution.uriTag)
				.parentObservation(context.getOrDefault(ObservationThreadLocalAccessor.KEY, null))
				.start();
			// Stopped before the result reaches the caller, so the span is complete when the caller sees it.
			return result.doOnSuccess((value) -> observation.stop())
				.doOnError((ex) -> observation.error(ex).stop())
				.doOnCancel(observation::stop)
				.contextWrite((inner) -> inner.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

	private static final Throwable CANCELLED = new java.util.concurrent.CancellationException("cancelled");

	/**
	 * The state of one call across its attempts.
	 */
	private final class Execution<R> extends DefaultSignalListener<R> {

		private final Call call;

		private final ResponseHandler<R> handler;

		private final long startNanos = System.nanoTime();

		private final long deadlineNanos;

		private @Nullable BackOffExecution backOff;

		private final String uriTag;

		private int attempt;

		private int lastStatus;

		private boolean recorded;

		Execution(Call call, ResponseHandler<R> handler) {
			this.call = call;
			this.handler = handler;
			this.deadlineNanos = (call.deadline() != null) ? this.startNanos + call.deadline().toNanos()
					: Long.MAX_VALUE;
			this.uriTag = (DefaultHttpClient.this.metrics.enabled()
					|| !DefaultHttpClient.this.observationRegistry.isNoop())
							? DefaultHttpClient.this.metrics.uriTag(call.uriTemplate()) : "";
		}

		Mono<R> nextAttempt() {
			int number = ++this.attempt;
			Duration maxWait = DefaultHttpClient.this.config.effectiveRateLimitTimeout();
			if (this.deadlineNanos != Long.MAX_VALUE) {
				Duration remaining = Duration.ofNanos(Math.max(0, this.deadlineNanos - System.nanoTime()));
				maxWait = (remaining.compareTo(maxWait) < 0) ? remaining : maxWait;
			}
			if (DefaultHttpClient.this.gate.isOpen()) {
				return attempt(this, number);
			}
			return DefaultHttpClient.this.gate.acquire(maxWait)
				.onErrorMap(RateGate.PermitUnavailableException.class, this::rateLimited)
				.then(Mono.defer(() -> attempt(this, number)));
		}

		private NetworkException rateLimited(RateGate.PermitUnavailableException ex) {
			return NetworkException.of(NetworkException.Kind.RATE_LIMITED,
					this.call.method() + " " + this.call.displayUrl() + " was not sent: " + ex.getMessage()
							+ " (rate-limit-timeout or deadline)",
					this.call.method().name(), this.call.displayUrl(), ex);
		}

		Mono<Long> onFailure(Throwable failure) {
			if (failure instanceof ApprovedRetry approved) {
				return Mono.delay(Duration.ofMillis(approved.delayMillis));
			}
			if (!(failure instanceof NetworkException network) || network.kind() == NetworkException.Kind.STATUS) {
				// Status errors were decided while their response was handled.
				return Mono.error(failure);
			}
			Decision decision = decide(network);
			if (decision.retry()) {
				return Mono.delay(Duration.ofMillis(decision.delayMillis()));
			}
			return Mono.error((decision.refusal() != null) ? network.withDetail(decision.refusal()) : network);
		}

		/**
		 * Apply the retry policy to a failed attempt: method idempotency, replayable body, custom predicate,
		 * retry count and backoff, Retry-After, deadline and retry budget, in that order.
		 */
		Decision decide(NetworkException failure) {
			Call call = this.call;
			HttpConfig config = DefaultHttpClient.this.config;
			ClientMetrics metrics = DefaultHttpClient.this.metrics;
			String method = call.method().name();
			String reason;
			boolean sent = true;
			switch (failure.kind()) {
				case CONNECT -> {
					reason = "connect";
					sent = false;
				}
				case STATUS -> reason = config.retryOnStatus().contains(failure.status()) ? "status" : null;
				case TIMEOUT -> reason = "timeout";
				case PROTOCOL, IO -> reason = "connection";
				default -> reason = null;
			}
			String refusal = null;
			String refusalTag = null;
			if (reason != null && sent && !call.mayRetryAfterSending()) {
				refusal = call.method() + " is not idempotent: retried only with retries(n) on the request, an "
						+ "Idempotency-Key header or retry-non-idempotent";
				refusalTag = "non_idempotent";
			}
			if (reason != null && sent && refusal == null && call.oneShotBody()) {
				refusal = "the request body is a one-shot stream that cannot be sent again";
				refusalTag = "body_not_replayable";
			}
			Duration retryAfter = retryAfter(failure);
			if (retryAfter != null && failure.status() == 429 && retryAfter.compareTo(config.retryAfterMax()) <= 0) {
				// The server told every caller of this client to wait.
				DefaultHttpClient.this.gate.pause(retryAfter);
			}
			boolean retry = reason != null && refusal == null;
			RetryPredicate predicate = config.retryPredicate();
			if (predicate != null && !call.oneShotBody()) {
				boolean custom = predicate.shouldRetry(call.method(), call.url(), failure, retry);
				if (custom && !retry) {
					reason = "predicate";
					refusal = null;
				}
				retry = custom;
				if (!custom) {
					refusalTag = null;
					refusal = null;
				}
			}
			if (!retry) {
				if (refusalTag != null && this.attempt <= call.retries()) {
					metrics.retryRefused(method, refusalTag);
					return new Decision(-1, refusal);
				}
				return Decision.NO;
			}
			if (this.attempt > call.retries()) {
				return Decision.NO;
			}
			if (this.backOff == null) {
				this.backOff = retryPolicy(call).getBackOff().start();
			}
			long delay = this.backOff.nextBackOff();
			if (delay == BackOffExecution.STOP) {
				return Decision.NO;
			}
			if (retryAfter != null) {
				if (retryAfter.compareTo(config.retryAfterMax()) > 0) {
					metrics.retryRefused(method, "retry_after_cap");
					return new Decision(-1, "the server asked to retry after " + retryAfter.toSeconds()
							+ " s (Retry-After), more than retry-after-max " + config.retryAfterMax().toSeconds()
							+ " s");
				}
				delay = retryAfter.toMillis();
			}
			if (this.deadlineNanos != Long.MAX_VALUE
					&& System.nanoTime() + delay * 1_000_000 >= this.deadlineNanos) {
				metrics.retryRefused(method, "deadline");
				return new Decision(-1, "the next attempt, in " + delay + " ms, would start after the deadline of "
						+ call.deadline().toMillis() + " ms");
			}
			if (!DefaultHttpClient.this.budget.tryRetry()) {
				metrics.retryRefused(method, "budget");
				return new Decision(-1, "the client's retry budget (retry-budget-percent "
						+ config.retryBudgetPercent() + " %) is spent: the server is failing too often to retry");
			}
			metrics.retry(method, reason);
			if (DefaultHttpClient.this.logger.isDebugEnabled()) {
				DefaultHttpClient.this.logger.debug("{} {} attempt {} failed ({}), retrying in {} ms", call.method(),
						call.displayUrl(), this.attempt, failure.getMessage(), delay);
			}
			return new Decision(delay, null);
		}

		private @Nullable Duration retryAfter(NetworkException failure) {
			if (failure.kind() != NetworkException.Kind.STATUS
					|| (failure.status() != 429 && failure.status() != 503)) {
				return null;
			}
			return RetryAfter.parse(failure.responseHeaders().getFirst(HttpHeaders.RETRY_AFTER),
					DefaultHttpClient.this.wallClock);
		}

		NetworkException deadlineExceeded() {
			return NetworkException.of(NetworkException.Kind.TIMEOUT,
					this.call.method() + " " + this.call.displayUrl() + " did not complete within its deadline of "
							+ this.call.deadline().toMillis() + " ms (" + this.attempt + " attempt(s))",
					this.call.method().name(), this.call.displayUrl(),
					new java.util.concurrent.TimeoutException("deadline " + this.call.deadline()));
		}

		// The call's outcome, recorded once by one tap operator rather than a peek per signal: on the value (a
		// downstream that cancels after it has still succeeded), or on completion when there is none.

		@Override
		public void doOnNext(R value) {
			recordCall(null);
		}

		@Override
		public void doOnComplete() {
			recordCall(null);
		}

		@Override
		public void doOnError(Throwable error) {
			recordCall(error);
		}

		@Override
		public void doOnCancel() {
			recordCall(CANCELLED);
		}

		void recordCall(@Nullable Throwable error) {
			if (this.recorded) {
				return;
			}
			this.recorded = true;
			String status = (this.lastStatus > 0) ? ClientMetrics.status(this.lastStatus) : "CLIENT_ERROR";
			String outcome;
			String exception = "none";
			if (error == null) {
				outcome = outcome(this.lastStatus);
			}
			else if (error == CANCELLED) {
				outcome = "UNKNOWN";
				exception = "CancellationException";
			}
			else {
				outcome = (error instanceof NetworkException network && network.kind() == NetworkException.Kind.STATUS)
						? outcome(network.status()) : "UNKNOWN";
				exception = (error instanceof NetworkException network) ? network.kind().name()
						: error.getClass().getSimpleName();
				if (!(error instanceof NetworkException network && network.status() > 0)) {
					status = "CLIENT_ERROR";
				}
			}
			DefaultHttpClient.this.metrics.call(this.call.method().name(), this.uriTag, status, outcome, exception,
					System.nanoTime() - this.startNanos);
		}

	}

	private static String outcome(int status) {
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

	private RetryPolicy retryPolicy(Call call) {
		if (call.retries() == this.config.retries() && call.retryDelay().equals(this.config.retryDelay())) {
			return this.defaultRetryPolicy;
		}
		return buildRetryPolicy(call.retries(), call.retryDelay());
	}

	private RetryPolicy buildRetryPolicy(int retries, Duration retryDelay) {
		return RetryPolicy.builder()
			.maxRetries(retries)
			.delay(retryDelay)
			.multiplier(this.config.retryBackoffMultiplier())
			.maxDelay((this.config.retryMaxDelay().compareTo(retryDelay) >= 0) ? this.config.retryMaxDelay()
					: retryDelay)
			.jitter(this.config.retryJitter())
			.build();
	}

	private <R> Mono<R> attempt(Execution<R> execution, int attempt) {
		Call call = execution.call;
		int pendingMax = this.config.pool().pendingAcquireMaxCount();
		if (this.poolStats.saturated(pendingMax)) {
			// Refused here rather than by the pool: the same outcome without building the WebClient request,
			// its observation and its error chain, so that refusing stays cheap when the client is overloaded.
			return Mono.error(NetworkException.of(NetworkException.Kind.POOL_EXHAUSTED,
					call.method().name() + " " + call.displayUrl() + " was not sent: no connection available ("
							+ pendingMax + " requests already wait for one, pool.pending-acquire-max-count); raise "
							+ "pool.max-connections or pool.pending-acquire-max-count, or send less",
					call.method().name(), call.displayUrl(), null));
		}
		long start = System.nanoTime();
		InterceptedRequest request = new InterceptedRequest(call.method(), call.url(), call.uriTemplate(),
				this.interceptors.isEmpty() ? call.headers() : copy(call.headers()), attempt);
		Mono<R> exchange;
		if (this.interceptors.isEmpty()) {
			exchange = send(execution, request, attempt, start, 0, call.body() != null);
		}
		else {
			exchange = Flux.fromIterable(this.interceptors)
				.concatMap((interceptor) -> invoke(interceptor, "preRequest", call,
						() -> interceptor.preRequest(request)))
				.then(Mono.defer(() -> {
					checkInterceptedHeaders(request);
					return send(execution, request, attempt, start, 0, call.body() != null);
				}));
		}
		return exchange.timeout(call.timeout(), timeoutFallback(call.timeout()), TimeoutScheduler.INSTANCE)
			.onErrorMap((ex) -> !(ex instanceof NetworkException) && !(ex instanceof ApprovedRetry),
					(ex) -> ErrorTranslator.translate(ex, call.method().name(), call.displayUrl(), call.timeout()))
			.doOnError((ex) -> {
				if (!(ex instanceof ApprovedRetry) && ex instanceof NetworkException network
						&& network.kind() != NetworkException.Kind.STATUS) {
					this.metrics.attempt(call.method().name(), execution.uriTag, "CLIENT_ERROR", "UNKNOWN");
				}
				if (this.logger.isDebugEnabled()) {
					this.logger.debug("{} {} attempt {} failed after {} ms: {}", call.method(), call.displayUrl(),
							attempt, (System.nanoTime() - start) / 1_000_000, ex.getMessage());
				}
			});
	}

	/**
	 * The fallback of the per-attempt timeout: a {@link java.util.concurrent.TimeoutException} made only when the
	 * timeout fires. Without a fallback, {@code Mono.timeout} builds its description string on every subscription.
	 */
	@SuppressWarnings("unchecked")
	private <R> Mono<R> timeoutFallback(Duration timeout) {
		return (Mono<R>) (timeout.equals(this.config.timeout()) ? this.timeoutFallback : timeoutError(timeout));
	}

	private static Mono<Object> timeoutError(Duration timeout) {
		return Mono.error(() -> new java.util.concurrent.TimeoutException("no complete response within " + timeout));
	}

	/**
	 * Check the headers again after interceptors could change them.
	 */
	private void checkInterceptedHeaders(InterceptedRequest request) {
		request.headers().forEach((name, values) -> values.forEach((value) -> {
			try {
				HeaderChecks.check(name, value, "request");
			}
			catch (IllegalArgumentException ex) {
				String displayUrl = this.redactor.url(request.url());
				throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
						"Refusing " + request.method() + " " + displayUrl + ": " + ex.getMessage(),
						request.method().name(), displayUrl, null);
			}
		}));
	}

	private <R> Mono<R> send(Execution<R> execution, InterceptedRequest request, int attempt, long start, int hop,
			boolean sendBody) {
		Call call = execution.call;
		HttpHeaders headers = request.headers();
		if (this.logger.isTraceEnabled()) {
			this.logger.trace("{} {} attempt {} request headers {}", request.method(), this.redactor.url(request.url()),
					attempt, this.redactor.headers(headers));
		}
		WebClient.RequestBodySpec spec = call.webClient()
			.method(request.method())
			.uri(request.url())
			.attribute(URI_TEMPLATE_ATTRIBUTE, call.uriTemplate());
		if (!headers.isEmpty()) {
			spec = spec.headers((target) -> target.putAll(headers));
		}
		WebClient.RequestHeadersSpec<?> ready = (sendBody && call.body() != null) ? spec.body(call.body()) : spec;
		return ready.exchangeToMono((response) -> handleResponse(execution, request, response, attempt, start, hop,
				sendBody));
	}

	private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

	/**
	 * Follow a redirect within the same attempt: at most {@code max-redirects} hops, credentials stripped when the
	 * target is another origin (scheme, host or port), 303 (and 301/302 after a POST) become a GET without body,
	 * and a one-shot body is never sent again.
	 */
	private <R> Mono<R> followRedirect(Execution<R> execution, InterceptedRequest request, ClientResponse response,
			int attempt, long start, int hop, boolean sendBody) {
		Call call = execution.call;
		String location = response.headers().asHttpHeaders().getFirst(HttpHeaders.LOCATION);
		String from = this.redactor.url(request.url());
		URI target;
		try {
			target = request.url().resolve(location);
		}
		catch (IllegalArgumentException ex) {
			return response.releaseBody().then(Mono.error(NetworkException.of(NetworkException.Kind.PROTOCOL,
					call.method() + " " + from + " redirected to an invalid Location", call.method().name(), from, ex)));
		}
		if (target.getScheme() == null || target.getHost() == null
				|| !(target.getScheme().equalsIgnoreCase("http") || target.getScheme().equalsIgnoreCase("https"))) {
			return response.releaseBody().then(Mono.error(NetworkException.of(NetworkException.Kind.PROTOCOL,
					call.method() + " " + from + " redirected to a URL that is not http(s): refused",
					call.method().name(), from, null)));
		}
		if (hop >= this.config.maxRedirects()) {
			return response.releaseBody().then(Mono.error(NetworkException.of(NetworkException.Kind.PROTOCOL,
					call.method() + " " + call.displayUrl() + " stopped after max-redirects (" + this.config.maxRedirects()
							+ ") redirects, last to " + this.redactor.url(target),
					call.method().name(), call.displayUrl(), null)));
		}
		int status = response.statusCode().value();
		HttpMethod method = request.method();
		boolean keepBody = sendBody;
		if ((status == 303 && method != HttpMethod.HEAD) || ((status == 301 || status == 302) && method == HttpMethod.POST)) {
			method = HttpMethod.GET;
			keepBody = false;
		}
		if (keepBody && call.oneShotBody()) {
			return response.releaseBody().then(Mono.error(NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
					call.method() + " " + from + " redirected with " + status
							+ ", but its one-shot body cannot be sent again",
					call.method().name(), from, null)));
		}
		HttpHeaders headers = copy(request.headers());
		if (!keepBody) {
			headers.remove(HttpHeaders.CONTENT_TYPE);
			headers.remove(HttpHeaders.CONTENT_LENGTH);
		}
		if (!sameOrigin(request.url(), target)) {
			headers.remove(HttpHeaders.AUTHORIZATION);
			headers.remove(HttpHeaders.PROXY_AUTHORIZATION);
			headers.remove(HttpHeaders.COOKIE);
			this.config.redactHeaders().forEach(headers::remove);
		}
		InterceptedRequest next = new InterceptedRequest(method, target, call.uriTemplate(), headers, attempt);
		next.attributes().putAll(request.attributes());
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("{} {} redirected ({}) to {} {}", request.method(), from, status, method,
					this.redactor.url(target));
		}
		boolean body = keepBody;
		return response.releaseBody().then(Mono.defer(() -> send(execution, next, attempt, start, hop + 1, body)));
	}

	private <R> Mono<R> handleResponse(Execution<R> execution, InterceptedRequest request, ClientResponse response,
			int attempt, long start, int hop, boolean sendBody) {
		Call call = execution.call;
		HttpStatusCode status = response.statusCode();
		execution.lastStatus = status.value();
		this.metrics.attempt(call.method().name(), execution.uriTag, ClientMetrics.status(status.value()),
				outcome(status.value()));
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("{} {} -> {} in {} ms (attempt {})", request.method(), call.displayUrl(), status.value(),
					(System.nanoTime() - start) / 1_000_000, attempt);
			if (this.logger.isTraceEnabled()) {
				this.logger.trace("{} {} attempt {} response headers {}", request.method(), call.displayUrl(), attempt,
						this.redactor.headers(response.headers().asHttpHeaders()));
			}
		}
		Mono<Void> postResponse = Mono.empty();
		if (!this.reversedInterceptors.isEmpty()) {
			InterceptedResponse intercepted = new InterceptedResponse(request, status,
					HttpHeaders.readOnlyHttpHeaders(response.headers().asHttpHeaders()));
			postResponse = Flux.fromIterable(this.reversedInterceptors)
				.concatMap((interceptor) -> invoke(interceptor, "postResponse", call,
						() -> interceptor.postResponse(intercepted)))
				.then();
		}
		if (this.reversedInterceptors.isEmpty()) {
			return afterInterceptors(execution, request, response, attempt, start, hop, sendBody);
		}
		return postResponse.then(Mono.defer(() -> afterInterceptors(execution, request, response, attempt, start, hop,
				sendBody)));
	}

	private <R> Mono<R> afterInterceptors(Execution<R> execution, InterceptedRequest request, ClientResponse response,
			int attempt, long start, int hop, boolean sendBody) {
		Call call = execution.call;
		HttpStatusCode status = response.statusCode();
		if (status.is2xxSuccessful()) {
			return execution.handler.handle(call, response);
		}
		if (this.config.followRedirects() && REDIRECT_STATUSES.contains(status.value())
				&& response.headers().asHttpHeaders().getLocation() != null) {
			return followRedirect(execution, request, response, attempt, start, hop, sendBody);
		}
		String refusal = null;
		if (this.config.retryOnStatus().contains(status.value()) || this.config.retryPredicate() != null) {
			NetworkException probe = NetworkException.status(call.method().name(), call.displayUrl(),
					status.value(), reason(status), response.headers().asHttpHeaders(), null);
			Decision decision = execution.decide(probe);
			if (decision.retry()) {
				return response.releaseBody().then(Mono.error(new ApprovedRetry(probe, decision.delayMillis())));
			}
			refusal = decision.refusal();
		}
		if (call.raiseForStatus()) {
			return statusError(call, response, refusal);
		}
		return execution.handler.handle(call, response);
	}

	private static String reason(HttpStatusCode status) {
		HttpStatus known = HttpStatus.resolve(status.value());
		return (known != null) ? known.getReasonPhrase() : "Unknown Status";
	}

	private <R> Mono<R> statusError(Call call, ClientResponse response, @Nullable String refusal) {
		HttpStatusCode status = response.statusCode();
		HttpHeaders headers = response.headers().asHttpHeaders();
		Charset charset = charset(response);
		return DataBufferUtils
			.join(DataBufferUtils.takeUntilByteCount(response.body(BodyExtractors.toDataBuffers()),
					NetworkException.MAX_SNIPPET_LENGTH * 4L))
			.map((buffer) -> {
				try {
					return buffer.toString(charset);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.onErrorResume((ex) -> Mono.empty())
			.defaultIfEmpty("")
			.flatMap((body) -> {
				NetworkException error = NetworkException.status(call.method().name(), call.displayUrl(),
						status.value(), reason(status), headers, body);
				return Mono.error((refusal != null) ? error.withDetail(refusal) : error);
			});
	}

	private Mono<Void> invoke(RequestInterceptor interceptor, String hook, Call call,
			java.util.function.Supplier<@Nullable Mono<Void>> invocation) {
		Mono<Void> result;
		try {
			result = invocation.get();
		}
		catch (RuntimeException ex) {
			return Mono.error(interceptorFailure(interceptor, hook, call, ex));
		}
		if (result == null) {
			return Mono.error(interceptorFailure(interceptor, hook, call,
					new IllegalStateException(hook + " returned null instead of a Mono")));
		}
		return result.onErrorMap((ex) -> interceptorFailure(interceptor, hook, call, ex));
	}

	private NetworkException interceptorFailure(RequestInterceptor interceptor, String hook, Call call,
			Throwable ex) {
		if (ex instanceof NetworkException network && network.kind() == NetworkException.Kind.INTERCEPTOR) {
			return network;
		}
		return NetworkException.of(NetworkException.Kind.INTERCEPTOR,
				"Interceptor " + interceptor.getClass().getName() + "." + hook + " failed for " + call.method() + " "
						+ call.displayUrl() + ": " + ex.getMessage(),
				call.method().name(), call.displayUrl(), ex);
	}

	private static HttpHeaders copy(HttpHeaders headers) {
		HttpHeaders copy = new HttpHeaders();
		copy.putAll(headers);
		return copy;
	}

	private Mono<byte[]> readBytes(ClientResponse response) {
		Mono<byte[]> body = response.bodyToMono(byte[].class);
		if (!this.logger.isTraceEnabled()) {
			return body;
		}
		return body.doOnNext((bytes) -> this.logger.trace("response body ({} bytes) starts with: {}", bytes.length,
				new String(bytes, 0, Math.min(bytes.length, TRACE_BODY_PREVIEW), charset(response))));
	}

	private static final int TRACE_BODY_PREVIEW = 512;

	private Mono<Object> readBody(Call call, ClientResponse response, ResponseFormat format) {
		return switch (format) {
			case BYTES -> readBytes(response).cast(Object.class);
			case TEXT -> readText(response).cast(Object.class);
			case JSON -> readJson(call, response, this.objectType);
		};
	}

	private Mono<String> readText(ClientResponse response) {
		Mono<String> body = response.bodyToMono(String.class);
		if (!this.logger.isTraceEnabled()) {
			return body;
		}
		return body.doOnNext((text) -> this.logger.trace("response body ({} chars) starts with: {}", text.length(),
				text.substring(0, Math.min(text.length(), TRACE_BODY_PREVIEW))));
	}

	/**
	 * Parse JSON straight from the joined response buffers (no intermediate {@code byte[]}), bounded by
	 * {@code max-in-memory-size}; the buffer is released whatever happens.
	 */
	private <T> Mono<T> readJson(Call call, ClientResponse response, JavaType type) {
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), this.config.maxInMemorySize())
			.map((buffer) -> {
				try {
					return this.<T>parseJson(call, buffer, type);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			});
	}

	private <T> T parseJson(Call call, org.springframework.core.io.buffer.DataBuffer buffer, JavaType type) {
		int start = buffer.readPosition();
		int length = buffer.readableByteCount();
		if (this.logger.isTraceEnabled()) {
			this.logger.trace("response body ({} bytes) starts with: {}", length,
					buffer.toString(start, Math.min(length, TRACE_BODY_PREVIEW), StandardCharsets.UTF_8));
		}
		try (java.io.InputStream in = buffer.asInputStream()) {
			return this.jsonMapper.readValue(in, type);
		}
		catch (JacksonException | java.io.IOException ex) {
			String body = buffer.toString(start, Math.min(length, 200), StandardCharsets.UTF_8);
			throw NetworkException.of(NetworkException.Kind.DECODING,
					"Response of " + call.method() + " " + call.displayUrl() + " is not valid JSON for "
							+ type.toCanonical() + " (" + ((ex instanceof JacksonException jackson)
									? jackson.getOriginalMessage() : ex.getMessage())
							+ "); body starts with: " + body + ((length > 200) ? "..." : ""),
					call.method().name(), call.displayUrl(), ex);
		}
	}

	@SuppressWarnings("unchecked")
	private <T> Mono<T> readBody(Call call, ClientResponse response, Class<T> type) {
		if (type == byte[].class) {
			return (Mono<T>) readBytes(response);
		}
		if (type == String.class) {
			return (Mono<T>) readText(response);
		}
		return readJson(call, response, this.jsonMapper.constructType(type));
	}

	private <T> T parseJson(Call call, byte[] bytes, JavaType type) {
		try {
			return this.jsonMapper.readValue(bytes, type);
		}
		catch (JacksonException ex) {
			String body = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8);
			throw NetworkException.of(NetworkException.Kind.DECODING,
					"Response of " + call.method() + " " + call.displayUrl() + " is not valid JSON for "
							+ type.toCanonical() + " (" + ex.getOriginalMessage() + "); body starts with: "
							+ body + ((bytes.length > 200) ? "..." : ""),
					call.method().name(), call.displayUrl(), ex);
		}
	}

	private static Charset charset(ClientResponse response) {
		return response.headers()
			.contentType()
			.map(MediaType::getCharset)
			.filter(Objects::nonNull)
			.orElse(StandardCharsets.UTF_8);
	}

	private static boolean sameOrigin(URI base, URI url) {
		return url.getScheme() != null && url.getHost() != null && base.getScheme().equalsIgnoreCase(url.getScheme())
				&& base.getHost().equalsIgnoreCase(url.getHost()) && port(base) == port(url);
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	private static String origin(URI uri) {
		return uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
	}

	private static final class DefaultMultipartSpec implements MultipartSpec {

		private final MultipartBodyBuilder builder;

		private boolean oneShot;

		DefaultMultipartSpec(MultipartBodyBuilder builder) {
			this.builder = builder;
		}

		@Override
		public MultipartSpec field(String name, String value) {
			this.builder.part(name, value, MediaType.TEXT_PLAIN);
			return this;
		}

		@Override
		public MultipartSpec file(String name, Path file) {
			return file(name, new FileSystemResource(file));
		}

		@Override
		public MultipartSpec file(String name, byte[] content, String filename, MediaType contentType) {
			ByteArrayResource resource = new ByteArrayResource(content.clone()) {

				@Override
				public String getFilename() {
					return filename;
				}

			};
			this.builder.part(name, resource, contentType).filename(filename);
			return this;
		}

		@Override
		public MultipartSpec file(String name, Resource resource) {
			this.oneShot |= resource.isOpen();
			this.builder.part(name, resource);
			return this;
		}

	}

}
