package io.pepperpy.network.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import io.pepperpy.network.NetworkException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.invoker.HttpExchangeAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * A resilient HTTP client over Spring's {@link WebClient} (the PepperPy Network module's {@code HTTPClient}).
 * <p>
 * Every verb takes a URI template and its variables ({@code client.get("/users/{id}", 42)}); variables are
 * encoded, so they can never change the path or the host. The returned {@link RequestSpec} sets per-request
 * options and ends with a terminal operation that returns a cold {@link Mono}: nothing is sent until it is
 * subscribed, and every failure is a {@link NetworkException}.
 * <pre class="code">
 * try (HttpClient client = HttpClient.create(HttpConfig.builder().baseUrl("https://api.example.com").build())) {
 *     Map&lt;?, ?&gt; user = client.get("/users/{id}", 42).retrieve(Map.class).block();
 * }
 * </pre>
 * A client owns a connection pool: {@link #close()} releases it. Clients are thread-safe and meant to be shared.
 */
public interface HttpClient extends AutoCloseable {

	/**
	 * Start a GET request.
	 * @param uriTemplate a path relative to the base URL, or an absolute URL
	 * @param uriVariables values for the template's variables, in order
	 * @return the request spec
	 */
	default RequestSpec get(String uriTemplate, Object... uriVariables) {
		return method(HttpMethod.GET, uriTemplate, uriVariables);
	}

	/**
	 * Start a POST request.
	 * @param uriTemplate a path relative to the base URL, or an absolute URL
	 * @param uriVariables values for the template's variables, in order
	 * @return the request spec
	 */
	default RequestSpec post(String uriTemplate, Object... uriVariables) {
		return method(HttpMethod.POST, uriTemplate, uriVariables);
	}

	/**
	 * Start a PUT request.
	 * @param uriTemplate a path relative to the base URL, or an absolute URL
	 * @param uriVariables values for the template's variables, in order
	 * @return the request spec
	 */
	default RequestSpec put(String uriTemplate, Object... uriVariables) {
		return method(HttpMethod.PUT, uriTemplate, uriVariables);
	}

	/**
	 * Start a PATCH request.
	 * @param uriTemplate a path relative to the base URL, or an absolute URL
	 * @param uriVariables values for the template's variables, in order
	 * @return the request spec
	 */
	default RequestSpec patch(String uriTemplate, Object... uriVariables) {
		return method(HttpMethod.PATCH, uriTemplate, uriVariables);
	}

	/**
	 * Start a DELETE request.
	 * @param uriTemplate a path relative to the base URL, or an absolute URL
	 * @param uriVariables values for the template's variables, in order
	 * @return the request spec
	 */
	default RequestSpec delete(String uriTemplate, Object... uriVariables) {
		return method(HttpMethod.DELETE, uriTemplate, uriVariables);
	}

	/**
	 * Start a HEAD request.
	 * @param uriTemplate a path relative to the base URL, or an absolute URL
	 * @param uriVariables values for the template's variables, in order
	 * @return the request spec
	 */
	default RequestSpec head(String uriTemplate, Object... uriVariables) {
		return method(HttpMethod.HEAD, uriTemplate, uriVariables);
	}

	/**
	 * Start an OPTIONS request.
	 * @param uriTemplate a path relative to the base URL, or an absolute URL
	 * @param uriVariables values for the template's variables, in order
	 * @return the request spec
	 */
	default RequestSpec options(String uriTemplate, Object... uriVariables) {
		return method(HttpMethod.OPTIONS, uriTemplate, uriVariables);
	}

	/**
	 * Start a request with any method.
	 * @param method the HTTP method
	 * @param uriTemplate a path relative to the base URL, or an absolute URL
	 * @param uriVariables values for the template's variables, in order
	 * @return the request spec
	 */
	RequestSpec method(HttpMethod method, String uriTemplate, Object... uriVariables);

	/**
	 * Start a request with any method and named URI variables.
	 * @param method the HTTP method
	 * @param uriTemplate a path relative to the base URL, or an absolute URL
	 * @param uriVariables values for the template's variables, by name
	 * @return the request spec
	 */
	RequestSpec method(HttpMethod method, String uriTemplate, Map<String, ?> uriVariables);

	/**
	 * Return the configuration this client was built with.
	 * @return the configuration
	 */
	HttpConfig config();

	/**
	 * Return the client's effective configuration (secrets redacted) and live state.
	 * @return the state
	 */
	HttpClientState state();

	/**
	 * Release the client's connection pool at once. Calls in flight fail with a {@link NetworkException}; new
	 * calls are refused.
	 */
	@Override
	void close();

	/**
	 * Refuse new calls, wait for the calls in flight to finish for at most the configured
	 * {@code shutdown-grace-period}, then release the connection pool; calls still in flight then fail with a
	 * {@link NetworkException}.
	 * @return a {@code Mono} that completes when the pool is released
	 */
	Mono<Void> closeGracefully();

	/**
	 * Close gracefully as {@link #closeGracefully()} does, then run the callback, whether closing succeeded or
	 * failed. A client that never made a request closes at once and runs the callback on the calling thread,
	 * without Reactor: an application that closes without having used it loads none of Reactor's operators.
	 * @param callback run once the pool is released
	 */
	default void closeGracefully(Runnable callback) {
		closeGracefully().doFinally((signal) -> callback.run()).subscribe();
	}

	/**
	 * Create a client for a Spring {@code @HttpExchange} interface, backed by this client: its methods get this
	 * client's base URL, headers, retries, rate limit, interceptors, metrics and typed errors, and every argument
	 * and return type Spring defines for HTTP interfaces (forms, multipart, reactive bodies, streams, entities).
	 * @param <S> the interface type
	 * @param serviceType the interface
	 * @return the proxy
	 */
	default <S> S service(Class<S> serviceType) {
		return HttpServiceProxyFactory.builderFor(exchangeAdapter()).build().createClient(serviceType);
	}

	/**
	 * Return the adapter through which Spring's HTTP interface proxies send their requests with this client, for
	 * an {@link HttpServiceProxyFactory} of your own (HTTP service groups whose name is this client's get it
	 * without code).
	 * @return the adapter
	 */
	HttpExchangeAdapter exchangeAdapter();

	/**
	 * Create a standalone client with the PepperPy Network module's defaults.
	 * @return a new client
	 */
	static HttpClient create() {
		return create(HttpConfig.defaults());
	}

	/**
	 * Create a standalone client.
	 * @param config the configuration
	 * @return a new client
	 */
	static HttpClient create(HttpConfig config) {
		return builder().config(config).build();
	}

	/**
	 * Return a builder for clients that need a particular {@link WebClient.Builder} or {@link JsonMapper}.
	 * @return a new builder
	 */
	static Builder builder() {
		return new Builder();
	}

	/**
	 * Builder of {@link HttpClient} instances.
	 */
	final class Builder {

		private HttpConfig config = HttpConfig.defaults();

		private WebClient.@Nullable Builder webClientBuilder;

		private java.util.function.@Nullable Supplier<? extends WebClient.@Nullable Builder> webClientBuilderSupplier;

		private @Nullable JsonMapper jsonMapper;

		private io.micrometer.core.instrument.@Nullable MeterRegistry meterRegistry;

		private io.micrometer.observation.@Nullable ObservationRegistry observationRegistry;

		private final java.util.List<HttpClientCustomizer> customizers = new java.util.ArrayList<>();

		private io.pepperpy.network.internal.TlsSetup tls = io.pepperpy.network.internal.TlsSetup.NONE;

		private @Nullable Object redisConnection;

		private io.github.resilience4j.circuitbreaker.@Nullable CircuitBreakerRegistry circuitBreakers;

		private ObservationSettings observation = ObservationSettings.DEFAULTS;

		private Builder() {
		}

		/**
		 * Set the configuration.
		 * @param config the configuration
		 * @return this builder
		 */
		public Builder config(HttpConfig config) {
			this.config = config;
			return this;
		}

		/**
		 * Set the {@link WebClient.Builder} to start from (its codecs, filters and observation registry apply).
		 * It is cloned, never changed. Its connector is replaced by the client's own.
		 * @param webClientBuilder the builder
		 * @return this builder
		 */
		public Builder webClientBuilder(WebClient.Builder webClientBuilder) {
			this.webClientBuilder = webClientBuilder;
			this.webClientBuilderSupplier = null;
			return this;
		}

		/**
		 * Set where the {@link WebClient.Builder} to start from comes from: asked once, when the client sends its
		 * first request, so that building the client creates nothing it may never use (an application context's
		 * prototype builder, for instance). What it returns is cloned, never changed; its connector is replaced by
		 * the client's own; {@code null} stands for {@link WebClient#builder()}.
		 * @param webClientBuilder supplies the builder
		 * @return this builder
		 */
		public Builder webClientBuilder(
				java.util.function.Supplier<? extends WebClient.@Nullable Builder> webClientBuilder) {
			this.webClientBuilderSupplier = java.util.Objects.requireNonNull(webClientBuilder,
					"webClientBuilder must not be null");
			this.webClientBuilder = null;
			return this;
		}

		/**
		 * Set the JSON mapper used to decode JSON responses.
		 * @param jsonMapper the mapper
		 * @return this builder
		 */
		public Builder jsonMapper(JsonMapper jsonMapper) {
			this.jsonMapper = jsonMapper;
			return this;
		}

		/**
		 * Set the registry the client's own {@code pepperpy.http.client.*} meters are recorded in.
		 * @param meterRegistry the registry
		 * @return this builder
		 */
		public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
			return this;
		}

		/**
		 * Set the registry calls are observed in ({@code pepperpy.http.client.call}, the parent of each attempt's
		 * {@code http.client.requests}); set it on the {@link WebClient.Builder} too for the attempts.
		 * @param observationRegistry the registry
		 * @return this builder
		 */
		public Builder observationRegistry(io.micrometer.observation.ObservationRegistry observationRegistry) {
			this.observationRegistry = observationRegistry;
			return this;
		}

		/**
		 * Add a customizer, applied after those already added.
		 * @param customizer the customizer
		 * @return this builder
		 */
		public Builder customizer(HttpClientCustomizer customizer) {
			this.customizers.add(customizer);
			return this;
		}

		/**
		 * Use these key and trust managers for TLS (a client certificate for mutual TLS, a private trust store),
		 * for example those of a Spring Boot SSL bundle.
		 * @param keyManagers the key managers, or {@code null} for no client certificate
		 * @param trustManagers the trust managers, or {@code null} for the JVM's trust store
		 * @return this builder
		 */
		public Builder tls(javax.net.ssl.@Nullable KeyManagerFactory keyManagers,
				javax.net.ssl.@Nullable TrustManagerFactory trustManagers) {
			this.tls = this.tls.withManagers(keyManagers, trustManagers);
			return this;
		}

		/**
		 * Set the Redis connection a client with {@code rate-limit.backend: redis} keeps its shared limit in. The
		 * connection is shared, not owned: closing the client leaves it open.
		 * @param redisConnection a Lettuce connection (thread-safe, one is enough for every client)
		 * @return this builder
		 */
		public Builder redisConnection(io.lettuce.core.api.StatefulRedisConnection<String, String> redisConnection) {
			this.redisConnection = redisConnection;
			return this;
		}

		/**
		 * Set the Redis Cluster (or Valkey cluster) connection a client with {@code rate-limit.backend: redis} keeps
		 * its shared limit in: the limit's one key goes to the master that owns its slot. The connection is shared,
		 * not owned: closing the client leaves it open.
		 * @param redisConnection a Lettuce cluster connection (thread-safe, one is enough for every client)
		 * @return this builder
		 */
		public Builder redisConnection(
				io.lettuce.core.cluster.api.StatefulRedisClusterConnection<String, String> redisConnection) {
			this.redisConnection = redisConnection;
			return this;
		}

		/**
		 * Set resilience4j's registry for a client with {@code circuit-breaker.enabled: true}: an instance of the
		 * client's name in it is used as is (so resilience4j's configuration, actuator endpoints and health show
		 * it); otherwise the client adds one made from its {@code circuit-breaker.*} settings. In Spring Boot, a
		 * {@code CircuitBreakerRegistry} bean (resilience4j's Spring Boot support) is used so.
		 * @param circuitBreakers the registry
		 * @return this builder
		 */
		public Builder circuitBreakerRegistry(
				io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry circuitBreakers) {
			this.circuitBreakers = circuitBreakers;
			return this;
		}

		/**
		 * Limit the TLS handshake to these cipher suites and protocols (an SSL bundle's options).
		 * @param ciphers the cipher suites, or {@code null} for the JDK's
		 * @param protocols the protocols, such as {@code TLSv1.3}, or {@code null} for the JDK's
		 * @return this builder
		 */
		public Builder tlsOptions(java.util.@Nullable Collection<String> ciphers,
				java.util.@Nullable Collection<String> protocols) {
			this.tls = this.tls.withOptions(ciphers, protocols);
			return this;
		}

		/**
		 * Observe each attempt with a {@code http.client.requests} convention of yours instead of the client's
		 * (which tags {@code client.name} with the client's name and redacts the URL). In Spring Boot, a
		 * {@code ClientRequestObservationConvention} bean is used so.
		 * @param convention the convention
		 * @return this builder
		 */
		public Builder observationConvention(
				org.springframework.web.reactive.function.client.ClientRequestObservationConvention convention) {
			this.observation = new ObservationSettings(this.observation.name(), convention);
			return this;
		}

		/**
		 * Name the observation of each attempt ({@code http.client.requests} by default; Spring Boot's
		 * {@code management.observations.http.client.requests.name}).
		 * @param name the observation's name
		 * @return this builder
		 */
		public Builder observationName(String name) {
			this.observation = new ObservationSettings(name, this.observation.convention());
			return this;
		}

		/**
		 * Build the client. This is cheap: the configuration is checked now, but the connector, its pool, the
		 * {@link WebClient} and the meters are made when the client sends its first request.
		 * @return a new client
		 */
		public HttpClient build() {
			return new LazyHttpClient(this.config,
					(this.webClientBuilder != null) ? this.webClientBuilder.clone() : null,
					this.webClientBuilderSupplier, this.jsonMapper, this.meterRegistry, this.observationRegistry,
					java.util.List.copyOf(this.customizers), this.tls,
					this.redisConnection, this.circuitBreakers, this.observation);
		}

	}

	/**
	 * Options of one request and its terminal operations. A spec describes one call; do not share it between
	 * threads.
	 */
	interface RequestSpec {

		/**
		 * Set a header, replacing a default header of the same name.
		 * @param name the header name
		 * @param value the header value
		 * @return this spec
		 */
		RequestSpec header(String name, String value);

		/**
		 * Set headers, replacing default headers of the same names.
		 * @param headers the headers
		 * @return this spec
		 */
		RequestSpec headers(Map<String, String> headers);

		/**
		 * Send an object as JSON ({@code Content-Type: application/json}).
		 * @param body the object
		 * @return this spec
		 */
		RequestSpec json(Object body);

		/**
		 * Send a URL-encoded form ({@code application/x-www-form-urlencoded}).
		 * @param fields the fields; values are converted with {@code String.valueOf}
		 * @return this spec
		 */
		RequestSpec form(Map<String, ?> fields);

		/**
		 * Send a multipart form ({@code multipart/form-data}) with files and text fields.
		 * @param parts adds the parts
		 * @return this spec
		 */
		RequestSpec multipart(Consumer<MultipartSpec> parts);

		/**
		 * Send raw bytes.
		 * @param body the bytes
		 * @param contentType their content type
		 * @return this spec
		 */
		RequestSpec body(byte[] body, MediaType contentType);

		/**
		 * Send a string.
		 * @param body the string
		 * @param contentType its content type
		 * @return this spec
		 */
		RequestSpec body(String body, MediaType contentType);

		/**
		 * Override the client's response format for this request.
		 * @param format the format
		 * @return this spec
		 */
		RequestSpec responseFormat(ResponseFormat format);

		/**
		 * Override the number of retries for this request. Setting it explicitly also opts a POST or PATCH in to
		 * being retried.
		 * @param retries retries after the first attempt, 0 or more
		 * @return this spec
		 */
		RequestSpec retries(int retries);

		/**
		 * Override the delay between attempts for this request.
		 * @param retryDelay the delay, not negative
		 * @return this spec
		 */
		RequestSpec retryDelay(Duration retryDelay);

		/**
		 * Override whether a non-2xx status fails this request.
		 * @param raiseForStatus whether to raise
		 * @return this spec
		 */
		RequestSpec raiseForStatus(boolean raiseForStatus);

		/**
		 * Send this request through a proxy.
		 * @param proxy a URL such as {@code http://user:pass@proxy:8080}
		 * @return this spec
		 */
		RequestSpec proxy(String proxy);

		/**
		 * Override the per-attempt timeout for this request.
		 * @param timeout a positive duration
		 * @return this spec
		 */
		RequestSpec timeout(Duration timeout);

		/**
		 * Bound the whole call, rate-limit waits, retries and backoff included.
		 * @param deadline a positive duration
		 * @return this spec
		 */
		RequestSpec deadline(Duration deadline);

		/**
		 * Send the request and decode the body with the response format: JSON as maps, lists and scalars, TEXT
		 * as {@link String}, BYTES as {@code byte[]}. Completes empty when the response has no body.
		 * @return the decoded body
		 */
		Mono<Object> retrieve();

		/**
		 * Send the request and decode the body as JSON into the given type ({@code String} and {@code byte[]}
		 * return the raw body).
		 * @param <T> the body type
		 * @param type the body type
		 * @return the decoded body
		 */
		<T> Mono<T> retrieve(Class<T> type);

		/**
		 * Send the request and decode the body as JSON into the given generic type.
		 * @param <T> the body type
		 * @param type the body type
		 * @return the decoded body
		 */
		<T> Mono<T> retrieve(ParameterizedTypeReference<T> type);

		/**
		 * Send the request and hand the body to {@code bodyHandler} as it arrives, without buffering it: for large
		 * or endless bodies. The handler must consume the buffers and release each one
		 * ({@code DataBufferUtils.release}); whatever it leaves unconsumed is released when its {@code Mono}
		 * completes. Status handling, retries (an attempt is re-sent from scratch) and the per-attempt timeout
		 * (which then bounds the whole transfer) apply as usual.
		 * @param <T> the handler's result type
		 * @param bodyHandler consumes the body
		 * @return the handler's result
		 */
		<T> Mono<T> stream(java.util.function.Function<reactor.core.publisher.Flux<org.springframework.core.io.buffer.DataBuffer>, ? extends Mono<T>> bodyHandler);

		/**
		 * Send the request and write the body to a file as it arrives, never holding it in memory. The file is
		 * created or truncated; a retried attempt starts it again.
		 * @param target the file
		 * @return the file, once the body is written
		 */
		default Mono<Path> download(Path target) {
			return stream((body) -> org.springframework.core.io.buffer.DataBufferUtils
				.write(body, target, java.nio.file.StandardOpenOption.CREATE,
						java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)
				.thenReturn(target));
		}

		/**
		 * Send the request and return status, headers and the body decoded with the response format. When
		 * raise-for-status is off, error statuses are returned too.
		 * @return the response
		 */
		Mono<HttpResponse<Object>> exchange();

		/**
		 * Send the request and return status, headers and the body decoded as JSON into the given type.
		 * @param <T> the body type
		 * @param type the body type
		 * @return the response
		 */
		<T> Mono<HttpResponse<T>> exchange(Class<T> type);

		/**
		 * Send the request and return status, headers and the body decoded as JSON into the given generic type.
		 * @param <T> the body type
		 * @param type the body type
		 * @return the response
		 */
		<T> Mono<HttpResponse<T>> exchange(ParameterizedTypeReference<T> type);

	}

	/**
	 * Parts of a multipart request (the PepperPy Network module's {@code FormData}).
	 */
	interface MultipartSpec {

		/**
		 * Add a text field.
		 * @param name the field name
		 * @param value the value
		 * @return this spec
		 */
		MultipartSpec field(String name, String value);

		/**
		 * Add a file part read from a path; the file name is the path's last element.
		 * @param name the part name
		 * @param file the file
		 * @return this spec
		 */
		MultipartSpec file(String name, Path file);

		/**
		 * Add a file part from bytes.
		 * @param name the part name
		 * @param content the bytes
		 * @param filename the file name sent to the server
		 * @param contentType the content type of the part
		 * @return this spec
		 */
		MultipartSpec file(String name, byte[] content, String filename, MediaType contentType);

		/**
		 * Add a file part from a resource; the file name is the resource's file name. A resource that can be read
		 * only once ({@link Resource#isOpen()}, such as an {@code InputStreamResource}) makes the request
		 * non-replayable: it is then retried only when it never reached the server.
		 * @param name the part name
		 * @param resource the resource
		 * @return this spec
		 */
		MultipartSpec file(String name, Resource resource);

	}

}
