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
	private Duration connectTimeout = Duration.ofSeconds(10);

	/**
	 * Longest wait for the response frame once the request is written, or between two frames of a stream.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration readTimeout = Duration.ofSeconds(30);

	/**
	 * Longest time to write one frame to the socket.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration writeTimeout = Duration.ofSeconds(30);

	/**
	 * Longest time a whole exchange may take, rate-limit waits, retries and backoff included; none by default.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration deadline;

	/**
	 * Whether connections use TLS.
	 */
	private boolean tls;

	/**
	 * Whether TLS certificates and host names are verified.
	 */
	private boolean verifySsl = true;

	/**
	 * Name of the SSL bundle (spring.ssl.bundle.*) with the key and trust material; setting it turns TLS on.
	 */
	private @Nullable String sslBundle;

	/**
	 * How the byte stream is cut into frames.
	 */
	private Framing framing = Framing.LINE;

	/**
	 * End of a frame when framing is delimiter, sent as UTF-8; a line feed by default.
	 */
	private @Nullable String delimiter;

	/**
	 * Size in bytes of the big-endian length prefix when framing is length-prefixed: 1, 2 or 4.
	 */
	private int lengthFieldLength = 4;

	/**
	 * Largest frame sent or accepted; a larger one fails the exchange.
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private DataSize maxFrameLength = DataSize.ofMegabytes(1);

	/**
	 * Most connections open at once; exchanges beyond it wait for a free one.
	 */
	private int poolSize = 16;

	/**
	 * Longest time a pooled connection stays open unused.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration poolIdleTime = Duration.ofSeconds(60);

	/**
	 * Whether TCP keep-alive probes are sent on idle connections.
	 */
	private boolean keepAlive = true;

	/**
	 * Retries after the first attempt; failures to connect are always retried, others only for idempotent exchanges.
	 */
	private int retries = 3;

	/**
	 * Delay before the first retry or reconnect.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration retryDelay = Duration.ofMillis(100);

	/**
	 * Factor applied to the delay after each retry; 1 keeps the delay fixed.
	 */
	private double retryBackoffMultiplier = 2.0;

	/**
	 * Longest delay between attempts.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration retryMaxDelay = Duration.ofSeconds(5);

	/**
	 * Largest random amount added to or subtracted from each delay.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration retryJitter = Duration.ZERO;

	/**
	 * Whether every exchange is safe to repeat, so that it is retried even after the request was sent.
	 */
	private boolean idempotent;

	/**
	 * Most exchanges per second, retries included; 0 means no limit.
	 */
	private int maxRateLimit;

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

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public Duration getWriteTimeout() {
		return this.writeTimeout;
	}

	public void setWriteTimeout(Duration writeTimeout) {
		this.writeTimeout = writeTimeout;
	}

	public @Nullable Duration getDeadline() {
		return this.deadline;
	}

	public void setDeadline(@Nullable Duration deadline) {
		this.deadline = deadline;
	}

	public boolean isTls() {
		return this.tls;
	}

	public void setTls(boolean tls) {
		this.tls = tls;
	}

	public boolean isVerifySsl() {
		return this.verifySsl;
	}

	public void setVerifySsl(boolean verifySsl) {
		this.verifySsl = verifySsl;
	}

	public @Nullable String getSslBundle() {
		return this.sslBundle;
	}

	public void setSslBundle(@Nullable String sslBundle) {
		this.sslBundle = sslBundle;
	}

	public Framing getFraming() {
		return this.framing;
	}

	public void setFraming(Framing framing) {
		this.framing = framing;
	}

	public @Nullable String getDelimiter() {
		return this.delimiter;
	}

	public void setDelimiter(@Nullable String delimiter) {
		this.delimiter = delimiter;
	}

	public int getLengthFieldLength() {
		return this.lengthFieldLength;
	}

	public void setLengthFieldLength(int lengthFieldLength) {
		this.lengthFieldLength = lengthFieldLength;
	}

	public DataSize getMaxFrameLength() {
		return this.maxFrameLength;
	}

	public void setMaxFrameLength(DataSize maxFrameLength) {
		this.maxFrameLength = maxFrameLength;
	}

	public int getPoolSize() {
		return this.poolSize;
	}

	public void setPoolSize(int poolSize) {
		this.poolSize = poolSize;
	}

	public Duration getPoolIdleTime() {
		return this.poolIdleTime;
	}

	public void setPoolIdleTime(Duration poolIdleTime) {
		this.poolIdleTime = poolIdleTime;
	}

	public boolean isKeepAlive() {
		return this.keepAlive;
	}

	public void setKeepAlive(boolean keepAlive) {
		this.keepAlive = keepAlive;
	}

	public int getRetries() {
		return this.retries;
	}

	public void setRetries(int retries) {
		this.retries = retries;
	}

	public Duration getRetryDelay() {
		return this.retryDelay;
	}

	public void setRetryDelay(Duration retryDelay) {
		this.retryDelay = retryDelay;
	}

	public double getRetryBackoffMultiplier() {
		return this.retryBackoffMultiplier;
	}

	public void setRetryBackoffMultiplier(double retryBackoffMultiplier) {
		this.retryBackoffMultiplier = retryBackoffMultiplier;
	}

	public Duration getRetryMaxDelay() {
		return this.retryMaxDelay;
	}

	public void setRetryMaxDelay(Duration retryMaxDelay) {
		this.retryMaxDelay = retryMaxDelay;
	}

	public Duration getRetryJitter() {
		return this.retryJitter;
	}

	public void setRetryJitter(Duration retryJitter) {
		this.retryJitter = retryJitter;
	}

	public boolean isIdempotent() {
		return this.idempotent;
	}

	public void setIdempotent(boolean idempotent) {
		this.idempotent = idempotent;
	}

	public int getMaxRateLimit() {
		return this.maxRateLimit;
	}

	public void setMaxRateLimit(int maxRateLimit) {
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
