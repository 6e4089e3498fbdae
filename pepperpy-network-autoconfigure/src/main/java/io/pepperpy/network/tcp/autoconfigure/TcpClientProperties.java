package io.pepperpy.network.tcp.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.pepperpy.network.autoconfigure.CircuitBreakerProperties;
import io.pepperpy.network.tcp.Framing;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Settings of one TCP client: those of {@code pepperpy.network.tcp.*}, and of each named client under
 * {@code pepperpy.network.tcp.clients.<name>.*}, where a value that is not set is inherited from
 * {@code pepperpy.network.tcp.*}. Durations given as a bare number are seconds ({@code read-timeout: 5}); units
 * such as {@code 500ms} work too.
 * <p>
 * A property that is not set is {@code null}, and takes its value from the level above: a named client's from
 * {@code pepperpy.network.tcp.*}, which takes it from {@link io.pepperpy.network.tcp.TcpConfig}'s defaults, the one
 * place they are written (the configuration metadata repeats them for the IDE, and a test pins that both agree).
 * There is no base class shared with the HTTP client's properties; its Javadoc says why.
 */
public class TcpClientProperties {

	/**
	 * Host name or address of the server; the default client exists only when it is set.
	 */
	private @Nullable String host;

	/**
	 * Port of the server.
	 */
	private @Nullable Integer port;

	/**
	 * Longest time to establish a connection, TLS handshake included, or to wait for a free pooled one.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration connectTimeout;

	/**
	 * Longest wait for the response frame once the request is written, or between two frames of a stream.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration readTimeout;

	/**
	 * Longest time to write one frame to the socket.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration writeTimeout;

	/**
	 * Longest time a whole exchange may take, rate-limit waits, retries and backoff included; none by default.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration deadline;

	/**
	 * Whether connections use TLS.
	 */
	private @Nullable Boolean tls;

	/**
	 * Whether TLS certificates and host names are verified.
	 */
	private @Nullable Boolean verifySsl;

	/**
	 * Name of the SSL bundle (spring.ssl.bundle.*) with the key and trust material; setting it turns TLS on.
	 */
	private @Nullable String sslBundle;

	/**
	 * How the byte stream is cut into frames.
	 */
	private @Nullable Framing framing;

	/**
	 * End of a frame when framing is delimiter, sent as UTF-8; a line feed by default.
	 */
	private @Nullable String delimiter;

	/**
	 * Size in bytes of the big-endian length prefix when framing is length-prefixed: 1, 2 or 4.
	 */
	private @Nullable Integer lengthFieldLength;

	/**
	 * Largest frame sent or accepted; a larger one fails the exchange.
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private @Nullable DataSize maxFrameLength;

	/**
	 * Most connections open at once; exchanges beyond it wait for a free one.
	 */
	private @Nullable Integer poolSize;

	/**
	 * Longest time a pooled connection stays open unused.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration poolIdleTime;

	/**
	 * Whether TCP keep-alive probes are sent on idle connections.
	 */
	private @Nullable Boolean keepAlive;

	/**
	 * Retries after the first attempt; failures to connect are always retried, others only for idempotent exchanges.
	 */
	private @Nullable Integer retries;

	/**
	 * Delay before the first retry or reconnect.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration retryDelay;

	/**
	 * Factor applied to the delay after each retry; 1 keeps the delay fixed.
	 */
	private @Nullable Double retryBackoffMultiplier;

	/**
	 * Longest delay between attempts.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration retryMaxDelay;

	/**
	 * Largest random amount added to or subtracted from each delay.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration retryJitter;

	/**
	 * Whether every exchange is safe to repeat, so that it is retried even after the request was sent.
	 */
	private @Nullable Boolean idempotent;

	/**
	 * Most exchanges per second, retries included; 0 means no limit.
	 */
	private @Nullable Integer maxRateLimit;

	/**
	 * Longest time an exchange waits for a rate-limit permit; defaults to the deadline, or the read timeout when no deadline is set.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration rateLimitTimeout;

	/**
	 * Circuit breaker around each attempt, off by default.
	 */
	@NestedConfigurationProperty
	private final CircuitBreakerProperties circuitBreaker = new CircuitBreakerProperties();

	public @Nullable String getHost() {
		return this.host;
	}

	public void setHost(@Nullable String host) {
		this.host = host;
	}

	public @Nullable Integer getPort() {
		return this.port;
	}

	public void setPort(@Nullable Integer port) {
		this.port = port;
	}

	public @Nullable Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(@Nullable Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public @Nullable Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(@Nullable Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public @Nullable Duration getWriteTimeout() {
		return this.writeTimeout;
	}

	public void setWriteTimeout(@Nullable Duration writeTimeout) {
		this.writeTimeout = writeTimeout;
	}

	public @Nullable Duration getDeadline() {
		return this.deadline;
	}

	public void setDeadline(@Nullable Duration deadline) {
		this.deadline = deadline;
	}

	public @Nullable Boolean getTls() {
		return this.tls;
	}

	public void setTls(@Nullable Boolean tls) {
		this.tls = tls;
	}

	public @Nullable Boolean getVerifySsl() {
		return this.verifySsl;
	}

	public void setVerifySsl(@Nullable Boolean verifySsl) {
		this.verifySsl = verifySsl;
	}

	public @Nullable String getSslBundle() {
		return this.sslBundle;
	}

	public void setSslBundle(@Nullable String sslBundle) {
		this.sslBundle = sslBundle;
	}

	public @Nullable Framing getFraming() {
		return this.framing;
	}

	public void setFraming(@Nullable Framing framing) {
		this.framing = framing;
	}

	public @Nullable String getDelimiter() {
		return this.delimiter;
	}

	public void setDelimiter(@Nullable String delimiter) {
		this.delimiter = delimiter;
	}

	public @Nullable Integer getLengthFieldLength() {
		return this.lengthFieldLength;
	}

	public void setLengthFieldLength(@Nullable Integer lengthFieldLength) {
		this.lengthFieldLength = lengthFieldLength;
	}

	public @Nullable DataSize getMaxFrameLength() {
		return this.maxFrameLength;
	}

	public void setMaxFrameLength(@Nullable DataSize maxFrameLength) {
		this.maxFrameLength = maxFrameLength;
	}

	public @Nullable Integer getPoolSize() {
		return this.poolSize;
	}

	public void setPoolSize(@Nullable Integer poolSize) {
		this.poolSize = poolSize;
	}

	public @Nullable Duration getPoolIdleTime() {
		return this.poolIdleTime;
	}

	public void setPoolIdleTime(@Nullable Duration poolIdleTime) {
		this.poolIdleTime = poolIdleTime;
	}

	public @Nullable Boolean getKeepAlive() {
		return this.keepAlive;
	}

	public void setKeepAlive(@Nullable Boolean keepAlive) {
		this.keepAlive = keepAlive;
	}

	public @Nullable Integer getRetries() {
		return this.retries;
	}

	public void setRetries(@Nullable Integer retries) {
		this.retries = retries;
	}

	public @Nullable Duration getRetryDelay() {
		return this.retryDelay;
	}

	public void setRetryDelay(@Nullable Duration retryDelay) {
		this.retryDelay = retryDelay;
	}

	public @Nullable Double getRetryBackoffMultiplier() {
		return this.retryBackoffMultiplier;
	}

	public void setRetryBackoffMultiplier(@Nullable Double retryBackoffMultiplier) {
		this.retryBackoffMultiplier = retryBackoffMultiplier;
	}

	public @Nullable Duration getRetryMaxDelay() {
		return this.retryMaxDelay;
	}

	public void setRetryMaxDelay(@Nullable Duration retryMaxDelay) {
		this.retryMaxDelay = retryMaxDelay;
	}

	public @Nullable Duration getRetryJitter() {
		return this.retryJitter;
	}

	public void setRetryJitter(@Nullable Duration retryJitter) {
		this.retryJitter = retryJitter;
	}

	public @Nullable Boolean getIdempotent() {
		return this.idempotent;
	}

	public void setIdempotent(@Nullable Boolean idempotent) {
		this.idempotent = idempotent;
	}

	public @Nullable Integer getMaxRateLimit() {
		return this.maxRateLimit;
	}

	public void setMaxRateLimit(@Nullable Integer maxRateLimit) {
		this.maxRateLimit = maxRateLimit;
	}

	public @Nullable Duration getRateLimitTimeout() {
		return this.rateLimitTimeout;
	}

	public void setRateLimitTimeout(@Nullable Duration rateLimitTimeout) {
		this.rateLimitTimeout = rateLimitTimeout;
	}

	public CircuitBreakerProperties getCircuitBreaker() {
		return this.circuitBreaker;
	}

}
