package io.pepperpy.network.tcp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.pepperpy.network.RetrySettings;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import io.pepperpy.network.internal.ClientConfigBuilder;
import io.pepperpy.network.internal.SettingChecks;
import io.pepperpy.network.limit.RateLimitSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Immutable configuration of a {@link TcpClient}. Create one with {@link #builder()}; derive a variant with
 * {@link #toBuilder()}. Usable without Spring; in a Spring Boot application the auto-configuration binds it from
 * {@code pepperpy.network.tcp.*}.
 * <p>
 * Every value is checked when the record is created: an invalid one throws {@link IllegalArgumentException}
 * naming the property and the value.
 *
 * @param name name of the client, used in logs and metrics
 * @param host host name or address of the server
 * @param port port of the server (1-65535)
 * @param connectTimeout longest time to establish a connection (TLS handshake included), or to wait for a free
 * pooled connection
 * @param readTimeout longest wait for a response frame once the request is written, or between two frames of a
 * stream
 * @param writeTimeout longest time to write one frame to the socket
 * @param deadline longest time a whole exchange may take, rate-limit waits, retries and backoff included, or
 * {@code null} for none
 * @param tls whether connections use TLS
 * @param verifySsl whether TLS certificates and host names are verified
 * @param sslBundle name of the Spring Boot SSL bundle that provides the key and trust material, or {@code null};
 * setting it turns TLS on
 * @param framing how the byte stream is cut into frames
 * @param delimiter end of a frame for {@link Framing#DELIMITER}, in UTF-8
 * @param lengthFieldLength size of the length prefix for {@link Framing#LENGTH_PREFIXED}: 1, 2 or 4 bytes
 * @param maxFrameLength largest frame, in bytes, sent or accepted; a larger one fails the exchange
 * @param poolSize most connections open at once; exchanges beyond it wait for a free one
 * @param poolIdleTime longest time a pooled connection stays open unused
 * @param keepAlive whether TCP keep-alive probes are sent on idle connections
 * @param retry retries after the first attempt and the delays between them (before the first reconnect too), as
 * the HTTP client has them ({@code retries}, {@code retry-delay}, {@code retry-backoff-multiplier},
 * {@code retry-max-delay}, {@code retry-jitter})
 * @param idempotent whether exchanges may be retried after the request was sent; without it only failures to
 * connect are retried
 * @param circuitBreaker whether attempts pass a circuit breaker, and when it opens ({@code circuit-breaker.*})
 * @param rateLimit most exchanges per second, attempts included, and the longest wait for a permit
 * ({@code max-rate-limit}, {@code rate-limit-timeout}; the limit is kept in this JVM)
 */
public record TcpConfig(String name, String host, int port, Duration connectTimeout, Duration readTimeout,
		Duration writeTimeout, @Nullable Duration deadline, boolean tls, boolean verifySsl,
		@Nullable String sslBundle, Framing framing, String delimiter, int lengthFieldLength, int maxFrameLength,
		int poolSize, Duration poolIdleTime, boolean keepAlive, RetrySettings retry, boolean idempotent,
		CircuitBreakerSettings circuitBreaker, RateLimitSettings rateLimit) {

	/**
	 * Default client name.
	 */
	public static final String DEFAULT_NAME = "default";

	/**
	 * The default retries: 3, the first after 100 ms, each delay doubled up to 5 s, no jitter.
	 */
	public static final RetrySettings DEFAULT_RETRY = new RetrySettings(3, Duration.ofMillis(100), 2.0,
			Duration.ofSeconds(5), Duration.ZERO);

	/**
	 * Check every value.
	 */
	public TcpConfig {
		SettingChecks.check(StringUtils.hasText(name), "name", name, "not be empty");
		SettingChecks.check(StringUtils.hasText(host), "host", host, "be set (the server's host name or address)");
		host = host.trim();
		SettingChecks.check(port >= 1 && port <= 65535, "port", port, "be between 1 and 65535");
		SettingChecks.positive("connect-timeout", connectTimeout);
		SettingChecks.positive("read-timeout", readTimeout);
		SettingChecks.positive("write-timeout", writeTimeout);
		if (deadline != null) {
			SettingChecks.positive("deadline", deadline);
		}
		sslBundle = StringUtils.hasText(sslBundle) ? sslBundle.trim() : null;
		SettingChecks.notNull("framing", framing);
		SettingChecks.check(delimiter != null && !delimiter.isEmpty(), "delimiter", delimiter, "not be empty");
		SettingChecks.check(lengthFieldLength == 1 || lengthFieldLength == 2 || lengthFieldLength == 4,
				"length-field-length", lengthFieldLength, "be 1, 2 or 4");
		SettingChecks.check(maxFrameLength >= 1, "max-frame-length", maxFrameLength, "be at least 1 byte");
		SettingChecks.check(poolSize >= 1, "pool-size", poolSize, "be at least 1");
		SettingChecks.positive("pool-idle-time", poolIdleTime);
		SettingChecks.notNull("retries", retry);
		SettingChecks.notNull("circuit-breaker", circuitBreaker);
		SettingChecks.notNull("max-rate-limit", rateLimit);
		SettingChecks.check(rateLimit.backend() == RateLimitSettings.Backend.LOCAL, "rate-limit.backend",
				rateLimit.backend(), "be local: a TCP client keeps its limit in this JVM");
	}

	/**
	 * Return whether connections use TLS: {@link #tls()} is on or an {@link #sslBundle()} is set.
	 * @return whether TLS is used
	 */
	public boolean secure() {
		return this.tls || this.sslBundle != null;
	}

	/**
	 * Return the largest frame that can be sent or received: {@link #maxFrameLength()}, capped by what the length
	 * prefix can express (255 bytes for 1 byte, 65535 for 2).
	 * @return the effective largest frame, in bytes
	 */
	public int effectiveMaxFrameLength() {
		if (this.framing == Framing.LENGTH_PREFIXED && this.lengthFieldLength < 4) {
			return Math.min(this.maxFrameLength, (1 << (8 * this.lengthFieldLength)) - 1);
		}
		return this.maxFrameLength;
	}

	/**
	 * Return the delimiter as bytes.
	 * @return the UTF-8 bytes of {@link #delimiter()}
	 */
	public byte[] delimiterBytes() {
		return this.delimiter.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Return the time an exchange may wait for a rate-limit permit.
	 * @return {@code rate-limit-timeout} if set, otherwise {@link #deadline()} if set, otherwise
	 * {@link #readTimeout()}
	 */
	public Duration effectiveRateLimitTimeout() {
		return this.rateLimit.effectiveTimeout(this.deadline, this.readTimeout);
	}

	/**
	 * Return the URL-like address used in messages, {@code tcp://host:port} (or {@code tls://host:port}).
	 * @return the address
	 */
	public String address() {
		return (secure() ? "tls://" : "tcp://") + (this.host.contains(":") ? "[" + this.host + "]" : this.host) + ":"
				+ this.port;
	}

	/**
	 * Return a builder with the defaults (host and port must still be set).
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return a builder initialised with this configuration's values.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Builder of {@link TcpConfig}, starting from the defaults: no host or port, 10 s connect timeout, 30 s read
	 * and write timeouts, no deadline, no TLS (verified when on), {@link Framing#LINE}, delimiter {@code \n},
	 * 4-byte length prefix, 1 MiB frames, a pool of 16 connections kept 60 s idle with TCP keep-alive, 3 retries
	 * from 100 ms doubling up to 5 s without jitter, exchanges not idempotent, no rate limit.
	 */
	public static final class Builder extends ClientConfigBuilder<Builder> {

		private String name = DEFAULT_NAME;

		private @Nullable String host;

		private int port;

		private Duration connectTimeout = Duration.ofSeconds(10);

		private Duration readTimeout = Duration.ofSeconds(30);

		private Duration writeTimeout = Duration.ofSeconds(30);

		private @Nullable Duration deadline;

		private boolean tls;

		private boolean verifySsl = true;

		private @Nullable String sslBundle;

		private Framing framing = Framing.LINE;

		private String delimiter = "\n";

		private int lengthFieldLength = 4;

		private int maxFrameLength = 1024 * 1024;

		private int poolSize = 16;

		private Duration poolIdleTime = Duration.ofSeconds(60);

		private boolean keepAlive = true;

		private boolean idempotent;

		private Builder() {
			super(DEFAULT_RETRY, RateLimitSettings.DEFAULTS, CircuitBreakerSettings.DEFAULTS);
		}

		private Builder(TcpConfig config) {
			super(config.retry, config.rateLimit, config.circuitBreaker);
			this.name = config.name;
			this.host = config.host;
			this.port = config.port;
			this.connectTimeout = config.connectTimeout;
			this.readTimeout = config.readTimeout;
			this.writeTimeout = config.writeTimeout;
			this.deadline = config.deadline;
			this.tls = config.tls;
			this.verifySsl = config.verifySsl;
			this.sslBundle = config.sslBundle;
			this.framing = config.framing;
			this.delimiter = config.delimiter;
			this.lengthFieldLength = config.lengthFieldLength;
			this.maxFrameLength = config.maxFrameLength;
			this.poolSize = config.poolSize;
			this.poolIdleTime = config.poolIdleTime;
			this.keepAlive = config.keepAlive;
			this.idempotent = config.idempotent;
		}

		/**
		 * Set the client's name, used in logs and metrics.
		 * @param name the name
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = name;
			return this;
		}

		/**
		 * Set the server's host name or address.
		 * @param host the host
		 * @return this builder
		 */
		public Builder host(@Nullable String host) {
			this.host = host;
			return this;
		}

		/**
		 * Set the server's port.
		 * @param port the port (1-65535)
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * Set the longest time to establish a connection or wait for a free pooled one.
		 * @param connectTimeout a positive duration
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		/**
		 * Set the longest wait for a response frame, or between two frames of a stream.
		 * @param readTimeout a positive duration
		 * @return this builder
		 */
		public Builder readTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
			return this;
		}

		/**
		 * Set the longest time to write one frame.
		 * @param writeTimeout a positive duration
		 * @return this builder
		 */
		public Builder writeTimeout(Duration writeTimeout) {
			this.writeTimeout = writeTimeout;
			return this;
		}

		/**
		 * Bound whole exchanges, rate-limit waits, retries and backoff included.
		 * @param deadline a positive duration, or {@code null} for none
		 * @return this builder
		 */
		public Builder deadline(@Nullable Duration deadline) {
			this.deadline = deadline;
			return this;
		}

		/**
		 * Set whether connections use TLS.
		 * @param tls whether to use TLS
		 * @return this builder
		 */
		public Builder tls(boolean tls) {
			this.tls = tls;
			return this;
		}

		/**
		 * Set whether TLS certificates and host names are verified.
		 * @param verifySsl whether to verify
		 * @return this builder
		 */
		public Builder verifySsl(boolean verifySsl) {
			this.verifySsl = verifySsl;
			return this;
		}

		/**
		 * Set the name of the Spring Boot SSL bundle to use; this turns TLS on.
		 * @param sslBundle the bundle name, or {@code null} for none
		 * @return this builder
		 */
		public Builder sslBundle(@Nullable String sslBundle) {
			this.sslBundle = sslBundle;
			return this;
		}

		/**
		 * Set how the byte stream is cut into frames.
		 * @param framing the framing
		 * @return this builder
		 */
		public Builder framing(Framing framing) {
			this.framing = framing;
			return this;
		}

		/**
		 * Set the end of a frame for {@link Framing#DELIMITER}.
		 * @param delimiter a non-empty string, sent as UTF-8
		 * @return this builder
		 */
		public Builder delimiter(String delimiter) {
			this.delimiter = delimiter;
			return this;
		}

		/**
		 * Set the size of the length prefix for {@link Framing#LENGTH_PREFIXED}.
		 * @param lengthFieldLength 1, 2 or 4 bytes
		 * @return this builder
		 */
		public Builder lengthFieldLength(int lengthFieldLength) {
			this.lengthFieldLength = lengthFieldLength;
			return this;
		}

		/**
		 * Set the largest frame sent or accepted.
		 * @param maxFrameLength a size in bytes
		 * @return this builder
		 */
		public Builder maxFrameLength(int maxFrameLength) {
			this.maxFrameLength = maxFrameLength;
			return this;
		}

		/**
		 * Set the most connections open at once.
		 * @param poolSize at least 1
		 * @return this builder
		 */
		public Builder poolSize(int poolSize) {
			this.poolSize = poolSize;
			return this;
		}

		/**
		 * Set the longest time a pooled connection stays open unused.
		 * @param poolIdleTime a positive duration
		 * @return this builder
		 */
		public Builder poolIdleTime(Duration poolIdleTime) {
			this.poolIdleTime = poolIdleTime;
			return this;
		}

		/**
		 * Set whether TCP keep-alive probes are sent on idle connections.
		 * @param keepAlive whether to send them
		 * @return this builder
		 */
		public Builder keepAlive(boolean keepAlive) {
			this.keepAlive = keepAlive;
			return this;
		}






		/**
		 * Set whether exchanges may be retried after the request was sent.
		 * @param idempotent whether every exchange is safe to repeat
		 * @return this builder
		 */
		public Builder idempotent(boolean idempotent) {
			this.idempotent = idempotent;
			return this;
		}




		/**
		 * Build the configuration.
		 * @return the configuration
		 * @throws IllegalArgumentException if a value is invalid
		 */
		public TcpConfig build() {
			return new TcpConfig(this.name, (this.host != null) ? this.host : "", this.port, this.connectTimeout,
					this.readTimeout, this.writeTimeout, this.deadline, this.tls, this.verifySsl, this.sslBundle,
					this.framing, this.delimiter, this.lengthFieldLength, this.maxFrameLength, this.poolSize,
					this.poolIdleTime, this.keepAlive, retrySettings(), this.idempotent, circuitBreakerSettings(),
					rateLimitSettings(RateLimitSettings.DEFAULTS));
		}

	}

}
