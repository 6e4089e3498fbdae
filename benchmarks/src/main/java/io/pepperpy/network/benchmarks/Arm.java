package io.pepperpy.network.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.io.CloseMode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

import io.pepperpy.network.circuit.CircuitBreakerSettings;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The arms compared in every part. Each arm fetches the same paths and decodes to the same targets; the three
 * Reactor Netty arms share the connector settings of {@code HttpClient} (its pool defaults, connect timeout and
 * compression), so differences are the cost of the layers above the connector.
 */
public enum Arm {

	/**
	 * Reactor Netty's {@code HttpClient} with no Spring layer: the physical limit.
	 */
	RAW_REACTOR_NETTY("raw Reactor Netty") {
		@Override
		BenchClient create(String baseUrl, Fixtures fixtures) {
			return new ReactorNettyArm(baseUrl, fixtures.jsonMapper);
		}
	},

	/**
	 * WebClient from {@code WebClient.builder()} with the same observation registry as ours: the baseline of every
	 * ratio.
	 */
	WEBCLIENT("plain WebClient") {
		@Override
		BenchClient create(String baseUrl, Fixtures fixtures) {
			WebClient client = Connectors.plainWebClient(baseUrl, Connectors.pool("plain-webclient"))
				.observationRegistry(fixtures.observationRegistry)
				.codecs((codecs) -> codecs.defaultCodecs().maxInMemorySize(10 * 1024 * 1024))
				.build();
			return new MonoArm() {
				@Override
				Mono<?> mono(Decode decode) {
					return client.get().uri(decode.path()).retrieve().bodyToMono(type(decode));
				}
			};
		}
	},

	/**
	 * Our client with defaults (retries on, limiter at a non-limiting rate) and our own meters on.
	 */
	OURS("HttpClient") {
		@Override
		BenchClient create(String baseUrl, Fixtures fixtures) {
			return ours(baseUrl, fixtures, fixtures.meterRegistry);
		}
	},

	/**
	 * Our client as {@link #OURS}, with our own meters off ({@code http.client.requests} stays on).
	 */
	OURS_NO_METERS("HttpClient, own meters off") {
		@Override
		BenchClient create(String baseUrl, Fixtures fixtures) {
			return ours(baseUrl, fixtures, null);
		}
	},

	/**
	 * Our client as {@link #OURS}, with its circuit breaker on (issue 20's defaults) and closed: what the breaker
	 * costs a healthy partner.
	 */
	OURS_BREAKER("HttpClient, circuit breaker closed") {
		@Override
		BenchClient create(String baseUrl, Fixtures fixtures) {
			return ours(baseUrl, fixtures, fixtures.meterRegistry, true);
		}
	},

	/**
	 * OkHttp 5, asynchronous calls ({@code enqueue}), dispatcher and pool raised to 256 per host.
	 */
	OKHTTP("OkHttp 5") {
		@Override
		BenchClient create(String baseUrl, Fixtures fixtures) {
			return new OkHttpArm(baseUrl, fixtures.jsonMapper);
		}
	},

	/**
	 * Spring's RestClient on the JDK's {@code java.net.http.HttpClient}, with the same observation registry;
	 * asynchronous sends run on a cached thread pool.
	 */
	RESTCLIENT_JDK("RestClient on JDK client") {
		@Override
		BenchClient create(String baseUrl, Fixtures fixtures) {
			return new RestClientArm(baseUrl, fixtures);
		}
	},

	/**
	 * Apache HttpClient 5 async ({@code SimpleHttpRequest}), pool raised to 256 per route.
	 */
	APACHE_ASYNC("Apache HttpClient 5 async") {
		@Override
		BenchClient create(String baseUrl, Fixtures fixtures) {
			return new ApacheAsyncArm(baseUrl, fixtures.jsonMapper);
		}
	};

	private final String label;

	Arm(String label) {
		this.label = label;
	}

	/**
	 * Return the name shown in results.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

	abstract BenchClient create(String baseUrl, Fixtures fixtures);

	/**
	 * Create this arm's client.
	 * @param baseUrl the server, such as {@code http://127.0.0.1:18080}
	 * @return a new client
	 */
	public BenchClient create(String baseUrl) {
		return create(baseUrl, new Fixtures());
	}

	static Class<?> type(Decode decode) {
		return switch (decode) {
			case TEXT -> String.class;
			case JSON -> Map.class;
			case BYTES -> byte[].class;
		};
	}

	static BenchClient ours(String baseUrl, Fixtures fixtures, @Nullable MeterRegistry meterRegistry) {
		return ours(baseUrl, fixtures, meterRegistry, false);
	}

	static BenchClient ours(String baseUrl, Fixtures fixtures, @Nullable MeterRegistry meterRegistry,
			boolean circuitBreaker) {
		HttpClient.Builder builder = HttpClient.builder()
			.config(HttpConfig.builder()
				.baseUrl(baseUrl)
				.maxRateLimit(1_000_000)
				.circuitBreaker(CircuitBreakerSettings.DEFAULTS.withEnabled(circuitBreaker))
				.build())
			.webClientBuilder(WebClient.builder().observationRegistry(fixtures.observationRegistry));
		if (meterRegistry != null) {
			builder.meterRegistry(meterRegistry);
		}
		HttpClient client = builder.build();
		return new MonoArm() {
			@Override
			Mono<?> mono(Decode decode) {
				return client.get(decode.path()).retrieve(type(decode));
			}

			@Override
			public void close() {
				client.close();
			}
		};
	}

	/**
	 * What the arms share: one meter registry, one observation registry recording {@code http.client.requests}
	 * in it, one JSON mapper.
	 */
	static final class Fixtures {

		final MeterRegistry meterRegistry = new SimpleMeterRegistry();

		final ObservationRegistry observationRegistry = ObservationRegistry.create();

		final JsonMapper jsonMapper = JsonMapper.builder().build();

		Fixtures() {
			this.observationRegistry.observationConfig()
				.observationHandler(new DefaultMeterObservationHandler(this.meterRegistry));
		}

	}

	/**
	 * An arm whose requests are cold {@link Mono}s.
	 */
	abstract static class MonoArm implements BenchClient {

		abstract Mono<?> mono(Decode decode);

		@Override
		public void send(Decode decode, Consumer<@Nullable Throwable> done) {
			mono(decode).subscribe(null, done::accept, () -> done.accept(null));
		}

		@Override
		public Object call(Decode decode) {
			return mono(decode).block();
		}

		@Override
		public void close() {
		}

	}

	static final class ReactorNettyArm extends MonoArm {

		private final ConnectionProvider provider;

		private final reactor.netty.http.client.HttpClient client;

		private final JsonMapper jsonMapper;

		ReactorNettyArm(String baseUrl, JsonMapper jsonMapper) {
			this.provider = Connectors.pool("raw-reactor-netty");
			this.client = Connectors.connector(this.provider).baseUrl(baseUrl);
			this.jsonMapper = jsonMapper;
		}

		@Override
		Mono<?> mono(Decode decode) {
			return this.client.get().uri(decode.path()).responseSingle((response, body) -> {
				if (response.status().code() != 200) {
					return Mono.error(new IOException("status " + response.status().code()));
				}
				Mono<?> decoded = switch (decode) {
					case TEXT -> body.asString();
					case JSON -> body.asByteArray().map((bytes) -> this.jsonMapper.readValue(bytes, Map.class));
					case BYTES -> body.asByteArray();
				};
				return decoded;
			});
		}

		@Override
		public void close() {
			this.provider.dispose();
		}

	}

	static final class OkHttpArm implements BenchClient {

		private final OkHttpClient client;

		private final Map<Decode, HttpUrl> urls = new java.util.EnumMap<>(Decode.class);

		private final JsonMapper jsonMapper;

		OkHttpArm(String baseUrl, JsonMapper jsonMapper) {
			Dispatcher dispatcher = new Dispatcher();
			dispatcher.setMaxRequests(1024);
			dispatcher.setMaxRequestsPerHost(256);
			this.client = new OkHttpClient.Builder().dispatcher(dispatcher)
				.connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
				.build();
			for (Decode decode : Decode.values()) {
				this.urls.put(decode, HttpUrl.get(baseUrl + decode.path()));
			}
			this.jsonMapper = jsonMapper;
		}

		private Request request(Decode decode) {
			return new Request.Builder().url(this.urls.get(decode)).build();
		}

		private Object decode(Response response, Decode decode) throws IOException {
			try (response) {
				if (response.code() != 200) {
					throw new IOException("status " + response.code());
				}
				return switch (decode) {
					case TEXT -> response.body().string();
					case JSON -> this.jsonMapper.readValue(response.body().bytes(), Map.class);
					case BYTES -> response.body().bytes();
				};
			}
		}

		@Override
		public void send(Decode decode, Consumer<@Nullable Throwable> done) {
			this.client.newCall(request(decode)).enqueue(new Callback() {
				@Override
				public void onFailure(Call call, IOException ex) {
					done.accept(ex);
				}

				@Override
				public void onResponse(Call call, Response response) {
					try {
						decode(response, decode);
						done.accept(null);
					}
					catch (IOException | RuntimeException ex) {
						done.accept(ex);
					}
				}
			});
		}

		@Override
		public Object call(Decode decode) throws IOException {
			return decode(this.client.newCall(request(decode)).execute(), decode);
		}

		@Override
		public void close() {
			this.client.dispatcher().executorService().shutdown();
			this.client.connectionPool().evictAll();
		}

	}

	static final class RestClientArm implements BenchClient {

		private final java.net.http.HttpClient jdkClient;

		private final RestClient client;

		private final ExecutorService executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "restclient-caller");
			thread.setDaemon(true);
			return thread;
		});

		RestClientArm(String baseUrl, Fixtures fixtures) {
			this.jdkClient = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
				.build();
			this.client = RestClient.builder()
				.baseUrl(baseUrl)
				.requestFactory(new JdkClientHttpRequestFactory(this.jdkClient))
				.observationRegistry(fixtures.observationRegistry)
				.build();
		}

		@Override
		public void send(Decode decode, Consumer<@Nullable Throwable> done) {
			this.executor.execute(() -> {
				try {
					call(decode);
				}
				catch (RuntimeException ex) {
					done.accept(ex);
					return;
				}
				done.accept(null);
			});
		}

		@Override
		public Object call(Decode decode) {
			return this.client.get().uri(decode.path()).retrieve().body(type(decode));
		}

		@Override
		public void close() {
			this.executor.shutdownNow();
		}

	}

	static final class ApacheAsyncArm implements BenchClient {

		private final CloseableHttpAsyncClient client;

		private final Map<Decode, URI> urls = new java.util.EnumMap<>(Decode.class);

		private final JsonMapper jsonMapper;

		ApacheAsyncArm(String baseUrl, JsonMapper jsonMapper) {
			this.client = HttpAsyncClients.custom()
				.setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
					.setMaxConnTotal(256)
					.setMaxConnPerRoute(256)
					.build())
				.build();
			this.client.start();
			for (Decode decode : Decode.values()) {
				this.urls.put(decode, URI.create(baseUrl + decode.path()));
			}
			this.jsonMapper = jsonMapper;
		}

		private Object decode(SimpleHttpResponse response, Decode decode) throws IOException {
			if (response.getCode() != 200) {
				throw new IOException("status " + response.getCode());
			}
			return switch (decode) {
				case TEXT -> response.getBodyText();
				case JSON -> this.jsonMapper.readValue(response.getBodyBytes(), Map.class);
				case BYTES -> response.getBodyBytes();
			};
		}

		@Override
		public void send(Decode decode, Consumer<@Nullable Throwable> done) {
			this.client.execute(SimpleRequestBuilder.get(this.urls.get(decode)).build(),
					new FutureCallback<SimpleHttpResponse>() {
						@Override
						public void completed(SimpleHttpResponse response) {
							try {
								decode(response, decode);
								done.accept(null);
							}
							catch (IOException | RuntimeException ex) {
								done.accept(ex);
							}
						}

						@Override
						public void failed(Exception ex) {
							done.accept(ex);
						}

						@Override
						public void cancelled() {
							done.accept(new IOException("cancelled"));
						}
					});
		}

		@Override
		public Object call(Decode decode) throws Exception {
			return decode(this.client.execute(SimpleRequestBuilder.get(this.urls.get(decode)).build(), null).get(),
					decode);
		}

		@Override
		public void close() {
			this.client.close(CloseMode.IMMEDIATE);
		}

	}

}
