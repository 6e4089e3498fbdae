package io.pepperpy.network.tcp;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.TlsSetup;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A resilient TCP client over Reactor Netty, for line-based, delimited, length-prefixed or raw protocols.
 * <p>
 * {@link #send(byte[])} writes one request frame on a pooled, persistent connection and returns the next frame
 * the server sends; {@link #stream(Publisher)} opens a dedicated connection, writes frames as they come and emits
 * frames as they arrive. Both return cold publishers: nothing is sent until they are subscribed, and every failure
 * is a {@link NetworkException} whose cause is the underlying error.
 * <pre class="code">
 * try (TcpClient client = TcpClient.create(TcpConfig.builder().host("127.0.0.1").port(7000).build())) {
 *     byte[] reply = client.send("PING".getBytes(StandardCharsets.UTF_8)).block();
 * }
 * </pre>
 * A client owns a connection pool: {@link #close()} closes it. Clients are thread-safe and meant to be shared.
 */
public interface TcpClient extends AutoCloseable {

	/**
	 * Send one request frame and return the response frame. Retried only when the connection could not be
	 * established, unless the client is configured {@code idempotent}.
	 * @param request the request frame, without framing bytes
	 * @return the response frame, without framing bytes
	 */
	default Mono<byte[]> send(byte[] request) {
		return exchange(request).retrieve();
	}

	/**
	 * Start an exchange of one request frame for one response frame, with per-exchange options.
	 * @param request the request frame, without framing bytes
	 * @return the exchange spec
	 */
	ExchangeSpec exchange(byte[] request);

	/**
	 * Open a dedicated connection, write each outbound frame as it comes and emit each inbound frame as it
	 * arrives. The connect is retried with backoff; once connected, a failure ends the stream with a
	 * {@link NetworkException} (frames may have been lost, so it is not resumed silently). The stream completes
	 * when the server closes the connection; cancelling it closes the connection.
	 * @param outbound the frames to send, without framing bytes ({@link Flux#empty()} to only listen)
	 * @return the inbound frames, without framing bytes
	 */
	Flux<byte[]> stream(Publisher<byte[]> outbound);

	/**
	 * Return the configuration this client was built with.
	 * @return the configuration
	 */
	TcpConfig config();

	/**
	 * Close every pooled connection. Exchanges in flight fail; the client cannot be used afterwards.
	 */
	@Override
	void close();

	/**
	 * Create a standalone client.
	 * @param config the configuration
	 * @return a new client
	 */
	static TcpClient create(TcpConfig config) {
		return builder().config(config).build();
	}

	/**
	 * Return a builder for a client with collaborators (metrics, TLS material).
	 * @return a new builder
	 */
	static Builder builder() {
		return new Builder();
	}

	/**
	 * Per-exchange options, ending with {@link #retrieve()}.
	 */
	interface ExchangeSpec {

		/**
		 * Mark this exchange as safe to repeat, so that it is retried even when the request may have reached the
		 * server (a read, or a command the server deduplicates).
		 * @return this spec
		 */
		ExchangeSpec idempotent();

		/**
		 * Override the retries after the first attempt for this exchange.
		 * @param retries 0 or more
		 * @return this spec
		 */
		ExchangeSpec retries(int retries);

		/**
		 * Override the longest wait for the response frame for this exchange.
		 * @param readTimeout a positive duration
		 * @return this spec
		 */
		ExchangeSpec readTimeout(Duration readTimeout);

		/**
		 * Bound this whole exchange, rate-limit waits, retries and backoff included.
		 * @param deadline a positive duration
		 * @return this spec
		 */
		ExchangeSpec deadline(Duration deadline);

		/**
		 * Send the request frame and return the response frame.
		 * @return the response frame, without framing bytes
		 */
		Mono<byte[]> retrieve();

	}

	/**
	 * Builder of a {@link TcpClient}.
	 */
	final class Builder {

		private @Nullable TcpConfig config;

		private @Nullable MeterRegistry meterRegistry;

		private TlsSetup tls = TlsSetup.NONE;

		private @Nullable CircuitBreakerRegistry circuitBreakers;

		private Builder() {
		}

		/**
		 * Set the configuration.
		 * @param config the configuration
		 * @return this builder
		 */
		public Builder config(TcpConfig config) {
			this.config = Objects.requireNonNull(config, "config must not be null");
			return this;
		}

		/**
		 * Record the client's meters ({@code pepperpy.tcp.client.*}) in a registry.
		 * @param meterRegistry the registry, or {@code null} for none
		 * @return this builder
		 */
		public Builder meterRegistry(@Nullable MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
			return this;
		}

		/**
		 * Use these key and trust managers for TLS (a client certificate for mutual TLS, a private trust store),
		 * for example those of a Spring Boot SSL bundle.
		 * @param keyManagers the key managers, or {@code null} for no client certificate
		 * @param trustManagers the trust managers, or {@code null} for the JVM's trust store
		 * @return this builder
		 */
		public Builder tls(@Nullable KeyManagerFactory keyManagers, @Nullable TrustManagerFactory trustManagers) {
			this.tls = this.tls.withManagers(keyManagers, trustManagers);
			return this;
		}

		/**
		 * Limit the TLS handshake to these cipher suites and protocols (an SSL bundle's options).
		 * @param ciphers the cipher suites, or {@code null} for the JDK's
		 * @param protocols the protocols, such as {@code TLSv1.3}, or {@code null} for the JDK's
		 * @return this builder
		 */
		public Builder tlsOptions(@Nullable Collection<String> ciphers, @Nullable Collection<String> protocols) {
			this.tls = this.tls.withOptions(ciphers, protocols);
			return this;
		}

		/**
		 * Set resilience4j's registry for a client with {@code circuit-breaker.enabled: true}: an instance of the
		 * client's name in it is used as is; otherwise the client adds one made from its settings.
		 * @param circuitBreakers the registry, or {@code null} for none
		 * @return this builder
		 */
		public Builder circuitBreakerRegistry(@Nullable CircuitBreakerRegistry circuitBreakers) {
			this.circuitBreakers = circuitBreakers;
			return this;
		}

		/**
		 * Build the client.
		 * @return the client
		 */
		public TcpClient build() {
			if (this.config == null) {
				throw new IllegalStateException("config must be set");
			}
			return new DefaultTcpClient(this.config, this.meterRegistry, this.tls, this.circuitBreakers);
		}

	}

}
