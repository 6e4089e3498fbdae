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

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
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

	private static final Set<Integer> RETRYABLE_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

	private static final Set<HttpMethod> IDEMPOTENT_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD,
			HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

	private static final int MAX_PROXIED_CLIENTS = 16;

	private final HttpConfig config;

	private final Logger logger;

	private final ConnectionProvider connectionProvider;

	private final reactor.netty.http.client.HttpClient connector;

	private final WebClient webClient;

	private final ConcurrentMap<String, WebClient> proxiedClients = new ConcurrentHashMap<>();

	private final DefaultUriBuilderFactory uriBuilderFactory;

	private final @Nullable URI baseUrl;

	private final @Nullable RateLimiter rateLimiter;

	private final JsonMapper jsonMapper;

	private final List<RequestInterceptor> interceptors;

	private final List<RequestInterceptor> reversedInterceptors;

	DefaultHttpClient(HttpConfig config, WebClient.Builder webClientBuilder, JsonMapper jsonMapper) {
		this.config = config;
		this.logger = LoggerFactory.getLogger(HttpClient.class.getName() + "." + config.name());
		this.jsonMapper = jsonMapper;
		this.interceptors = config.interceptors();
		List<RequestInterceptor> reversed = new ArrayList<>(config.interceptors());
		Collections.reverse(reversed);
		this.reversedInterceptors = List.copyOf(reversed);
		this.baseUrl = (config.baseUrl() != null) ? URI.create(config.baseUrl()) : null;
		this.uriBuilderFactory = (config.baseUrl() != null) ? new DefaultUriBuilderFactory(config.baseUrl())
				: new DefaultUriBuilderFactory();
		this.connectionProvider = ConnectionProvider.builder("pepperpy-" + config.name())
			.maxIdleTime(Duration.ofSeconds(20))
			.evictInBackground(Duration.ofSeconds(30))
			.build();
		this.connector = createConnector(config, this.connectionProvider, this.logger);
		reactor.netty.http.client.HttpClient configured = (config.proxy() != null)
				? withProxy(this.connector, ProxySettings.parse(config.proxy())) : this.connector;
		this.webClient = webClientBuilder.clientConnector(new ReactorClientHttpConnector(configured))
			.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(config.maxInMemorySize()))
			.build();
		this.rateLimiter = (config.maxRateLimit() > 0) ? createRateLimiter(config) : null;
	}

	static JsonMapper defaultJsonMapper() {
		return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
	}

	private static reactor.netty.http.client.HttpClient createConnector(HttpConfig config,
			ConnectionProvider provider, Logger logger) {
		Duration connectTimeout = (config.connectTimeout().compareTo(config.timeout()) < 0) ? config.connectTimeout()
				: config.timeout();
		reactor.netty.http.client.HttpClient client = reactor.netty.http.client.HttpClient.create(provider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
			.compress(true);
		if (!config.verifySsl()) {
			logger.warn("HTTP client '{}' does not verify TLS certificates or host names (verify-ssl: false): "
					+ "use this only against test servers", config.name());
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

	private static RateLimiter createRateLimiter(HttpConfig config) {
		// One permit per 1/R interval: smooth, never a burst of a whole second's budget.
		long periodNanos = Math.max(1, 1_000_000_000L / config.maxRateLimit());
		RateLimiterConfig limiterConfig = RateLimiterConfig.custom()
			.limitForPeriod(1)
			.limitRefreshPeriod(Duration.ofNanos(periodNanos))
			.timeoutDuration(config.effectiveRateLimitTimeout())
			.build();
		return RateLimiter.of("pepperpy-" + config.name(), limiterConfig);
	}

	@Override
	public RequestSpec method(HttpMethod method, String uriTemplate, Object... uriVariables) {
		Objects.requireNonNull(method, "method must not be null");
		Objects.requireNonNull(uriTemplate, "uriTemplate must not be null");
		return new DefaultRequestSpec(method, uriTemplate, (uriVariables != null) ? uriVariables : new Object[0]);
	}

	@Override
	public HttpConfig config() {
		return this.config;
	}

	@Override
	public void close() {
		this.connectionProvider.dispose();
	}

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
	private record Call(HttpMethod method, URI url, String displayUrl, String uriTemplate, HttpHeaders headers,
			@Nullable BodyInserter<?, ? super org.springframework.http.client.reactive.ClientHttpRequest> body,
			WebClient webClient, Duration timeout, int retries, boolean retriesExplicit, Duration retryDelay,
			boolean raiseForStatus) {

		boolean mayRetryAfterSending() {
			return IDEMPOTENT_METHODS.contains(this.method) || this.retriesExplicit
					|| this.headers.containsHeader("Idempotency-Key");
		}

	}

	private final class DefaultRequestSpec implements RequestSpec {

		private final HttpMethod method;

		private final String uriTemplate;

		private final Object[] uriVariables;

		private final HttpHeaders headers = new HttpHeaders();

		private @Nullable BodyInserter<?, ? super org.springframework.http.client.reactive.ClientHttpRequest> body;

		private @Nullable MediaType contentType;

		private ResponseFormat responseFormat = DefaultHttpClient.this.config.responseFormat();

		private @Nullable Integer retries;

		private Duration retryDelay = DefaultHttpClient.this.config.retryDelay();

		private boolean raiseForStatus = DefaultHttpClient.this.config.raiseForStatus();

		private @Nullable String proxy = DefaultHttpClient.this.config.proxy();

		private Duration timeout = DefaultHttpClient.this.config.timeout();

		DefaultRequestSpec(HttpMethod method, String uriTemplate, Object[] uriVariables) {
			this.method = method;
			this.uriTemplate = uriTemplate;
			this.uriVariables = uriVariables;
		}

		@Override
		public RequestSpec header(String name, String value) {
			this.headers.set(name, value);
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
			parts.accept(new DefaultMultipartSpec(builder));
			this.body = BodyInserters.fromMultipartData(builder.build());
			this.contentType = null;
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
			return execute((call, response) -> readBytes(response)
				.map((bytes) -> DefaultHttpClient.this.<T>parseJson(call, bytes, javaType)));
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
					(ex) -> ErrorTranslator.translate(ex, this.method.name(), this.uriTemplate, this.timeout));
		}

		private Call prepare() {
			URI url;
			try {
				url = DefaultHttpClient.this.uriBuilderFactory.expand(this.uriTemplate, this.uriVariables);
			}
			catch (RuntimeException ex) {
				throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
						"Invalid URL template '" + this.uriTemplate + "' for " + this.method + ": " + ex.getMessage(),
						this.method.name(), this.uriTemplate, ex);
			}
			String displayUrl = ErrorTranslator.displayUrl(url);
			checkOrigin(url, displayUrl);
			HttpHeaders merged = new HttpHeaders();
			DefaultHttpClient.this.config.headers().forEach(merged::set);
			merged.putAll(this.headers);
			if (this.contentType != null) {
				merged.setContentType(this.contentType);
			}
			checkHeaders(merged, displayUrl);
			int effectiveRetries = (this.retries != null) ? this.retries : DefaultHttpClient.this.config.retries();
			return new Call(this.method, url, displayUrl, this.uriTemplate, merged, this.body,
					webClientFor(this.proxy), this.timeout, effectiveRetries, this.retries != null, this.retryDelay,
					this.raiseForStatus);
		}

		private void checkOrigin(URI url, String displayUrl) {
			URI base = DefaultHttpClient.this.baseUrl;
			if (base != null && !sameOrigin(base, url)) {
				throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
						"Refusing " + this.method + " " + displayUrl + ": it is outside the origin of the base URL "
								+ origin(base) + ", and default headers (credentials) are only sent there; "
								+ "use a client without base-url (or a separate client) for other hosts",
						this.method.name(), displayUrl, null);
			}
			String scheme = url.getScheme();
			if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
					|| url.getHost() == null) {
				throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST, "Refusing " + this.method + " "
						+ displayUrl + ": the URL must be absolute http(s) (no base-url is configured)",
						this.method.name(), displayUrl, null);
			}
		}

		private void checkHeaders(HttpHeaders headers, String displayUrl) {
			headers.forEach((name, values) -> values.forEach((value) -> {
				try {
					HeaderChecks.check(name, value, this.method + " " + displayUrl);
				}
				catch (IllegalArgumentException ex) {
					throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST, ex.getMessage(),
							this.method.name(), displayUrl, null);
				}
			}));
		}

	}

	@FunctionalInterface
	private interface ResponseHandler<R> {

		Mono<R> handle(Call call, ClientResponse response);

	}

	private <R> Mono<R> execute(Call call, ResponseHandler<R> handler) {
		AtomicInteger attempts = new AtomicInteger();
		Mono<R> attempt = Mono.defer(() -> attempt(call, attempts.incrementAndGet(), handler));
		if (this.rateLimiter != null) {
			attempt = attempt.transformDeferred(RateLimiterOperator.of(this.rateLimiter));
		}
		if (call.retries() == 0) {
			return attempt;
		}
		RetryPolicy policy = RetryPolicy.builder()
			.maxRetries(call.retries())
			.delay(call.retryDelay())
			.predicate((ex) -> shouldRetry(call, ex))
			.build();
		return attempt.retryWhen(Retry.from((signals) -> Flux.defer(() -> {
			BackOffExecution backOff = policy.getBackOff().start();
			return signals.concatMap((signal) -> {
				Throwable failure = signal.failure();
				if (!policy.shouldRetry(failure)) {
					return Mono.error(failure);
				}
				long delay = backOff.nextBackOff();
				if (delay == BackOffExecution.STOP) {
					return Mono.error(failure);
				}
				if (this.logger.isDebugEnabled()) {
					this.logger.debug("{} {} attempt {} failed ({}), retrying in {} ms", call.method(),
							call.displayUrl(), signal.totalRetries() + 1, failure.getMessage(), delay);
				}
				return Mono.delay(Duration.ofMillis(delay));
			});
		})));
	}

	private boolean shouldRetry(Call call, Throwable ex) {
		if (!(ex instanceof NetworkException network)) {
			return false;
		}
		return switch (network.kind()) {
			case CONNECT -> true;
			case STATUS -> RETRYABLE_STATUSES.contains(network.status()) && call.mayRetryAfterSending();
			case TIMEOUT, PROTOCOL, IO -> call.mayRetryAfterSending();
			default -> false;
		};
	}

	private <R> Mono<R> attempt(Call call, int attempt, ResponseHandler<R> handler) {
		long start = System.nanoTime();
		InterceptedRequest request = new InterceptedRequest(call.method(), call.url(), call.uriTemplate(),
				copy(call.headers()), attempt);
		Mono<Void> preRequest = Flux.fromIterable(this.interceptors)
			.concatMap((interceptor) -> invoke(interceptor, "preRequest", call,
					() -> interceptor.preRequest(request)))
			.then();
		return preRequest.then(Mono.defer(() -> {
			HttpHeaders headers = request.headers();
			String displayUrl = ErrorTranslator.displayUrl(request.url());
			headers.forEach((name, values) -> values.forEach((value) -> {
				try {
					HeaderChecks.check(name, value, request.method() + " " + displayUrl);
				}
				catch (IllegalArgumentException ex) {
					throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST, ex.getMessage(),
							request.method().name(), displayUrl, null);
				}
			}));
			WebClient.RequestBodySpec spec = call.webClient()
				.method(request.method())
				.uri(request.url())
				.attribute(URI_TEMPLATE_ATTRIBUTE, call.uriTemplate())
				.headers((target) -> target.putAll(headers));
			WebClient.RequestHeadersSpec<?> ready = (call.body() != null) ? spec.body(call.body()) : spec;
			return ready.exchangeToMono((response) -> handleResponse(call, request, response, attempt, start, handler));
		}))
			.timeout(call.timeout())
			.onErrorMap((ex) -> !(ex instanceof NetworkException),
					(ex) -> ErrorTranslator.translate(ex, call.method().name(), call.displayUrl(), call.timeout()))
			.doOnError((ex) -> {
				if (this.logger.isDebugEnabled()) {
					this.logger.debug("{} {} attempt {} failed after {} ms: {}", call.method(), call.displayUrl(),
							attempt, (System.nanoTime() - start) / 1_000_000, ex.getMessage());
				}
			});
	}

	private <R> Mono<R> handleResponse(Call call, InterceptedRequest request, ClientResponse response, int attempt,
			long start, ResponseHandler<R> handler) {
		HttpStatusCode status = response.statusCode();
		if (this.logger.isDebugEnabled()) {
			this.logger.debug("{} {} -> {} in {} ms (attempt {})", request.method(), call.displayUrl(), status.value(),
					(System.nanoTime() - start) / 1_000_000, attempt);
		}
		InterceptedResponse intercepted = new InterceptedResponse(request, status,
				HttpHeaders.readOnlyHttpHeaders(response.headers().asHttpHeaders()));
		Mono<Void> postResponse = Flux.fromIterable(this.reversedInterceptors)
			.concatMap((interceptor) -> invoke(interceptor, "postResponse", call,
					() -> interceptor.postResponse(intercepted)))
			.then();
		return postResponse.then(Mono.defer(() -> {
			boolean retryableStatus = RETRYABLE_STATUSES.contains(status.value()) && attempt <= call.retries()
					&& call.mayRetryAfterSending();
			if (!status.is2xxSuccessful() && (call.raiseForStatus() || retryableStatus)) {
				return statusError(call, response);
			}
			return handler.handle(call, response);
		}));
	}

	private <R> Mono<R> statusError(Call call, ClientResponse response) {
		HttpStatusCode status = response.statusCode();
		HttpStatus known = HttpStatus.resolve(status.value());
		String reason = (known != null) ? known.getReasonPhrase() : "Unknown Status";
		HttpHeaders headers = response.headers().asHttpHeaders();
		Charset charset = charset(response);
		return org.springframework.core.io.buffer.DataBufferUtils
			.join(org.springframework.core.io.buffer.DataBufferUtils.takeUntilByteCount(
					response.body(org.springframework.web.reactive.function.BodyExtractors.toDataBuffers()),
					NetworkException.MAX_SNIPPET_LENGTH * 4L))
			.map((buffer) -> {
				try {
					return buffer.toString(charset);
				}
				finally {
					org.springframework.core.io.buffer.DataBufferUtils.release(buffer);
				}
			})
			.onErrorResume((ex) -> Mono.empty())
			.defaultIfEmpty("")
			.flatMap((body) -> Mono.error(NetworkException.status(call.method().name(), call.displayUrl(),
					status.value(), reason, headers, body)));
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
		return response.bodyToMono(byte[].class);
	}

	private Mono<Object> readBody(Call call, ClientResponse response, ResponseFormat format) {
		return switch (format) {
			case BYTES -> readBytes(response).cast(Object.class);
			case TEXT -> readBytes(response).map((bytes) -> new String(bytes, charset(response)));
			case JSON -> readBytes(response).map((bytes) -> parseJson(call, bytes,
					this.jsonMapper.constructType(Object.class)));
		};
	}

	@SuppressWarnings("unchecked")
	private <T> Mono<T> readBody(Call call, ClientResponse response, Class<T> type) {
		if (type == byte[].class) {
			return (Mono<T>) readBytes(response);
		}
		if (type == String.class) {
			return (Mono<T>) readBytes(response).map((bytes) -> new String(bytes, charset(response)));
		}
		JavaType javaType = this.jsonMapper.constructType(type);
		return readBytes(response).map((bytes) -> parseJson(call, bytes, javaType));
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
			this.builder.part(name, resource);
			return this;
		}

	}

}
