package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.ResponseFormat;
import io.pepperpy.network.autoconfigure.CircuitBreakerProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * Properties of one pepperpy HTTP client: the default client's under {@code pepperpy.network.http.*}, a named
 * client's under {@code pepperpy.network.http.clients.<name>.*} over the defaults. Durations given as a bare
 * number are seconds ({@code timeout: 30}); units such as {@code 500ms} work too.
 * <p>
 * The properties check themselves when bound, so an invalid value fails start-up with a message naming the
 * property and the value.
 */
public class PepperpyHttpClientProperties {

	/**
	 * Base URL that relative request paths resolve against; requests may only go to its origin.
	 */
	private @Nullable String baseUrl;

	/**
	 * Default headers sent with every request.
	 */
	private Map<String, String> headers = new LinkedHashMap<>();

	/**
	 * Longest time one attempt may take, from connect to the last byte of the body.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration timeout = Duration.ofSeconds(30);

	/**
	 * Longest time to establish a connection.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration connectTimeout = Duration.ofSeconds(10);

	/**
	 * Retries after the first attempt (3 means at most 4 attempts).
	 */
	private int retries = 3;

	/**
	 * Delay between attempts.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration retryDelay = Duration.ofSeconds(1);

	/**
	 * Whether TLS certificates and host names are verified.
	 */
	private boolean verifySsl = true;

	/**
	 * How response bodies are decoded by default.
	 */
	private ResponseFormat responseFormat = ResponseFormat.JSON;

	/**
	 * Whether a response status that is not 2xx fails the call with a NetworkException.
	 */
	private boolean raiseForStatus = true;

	/**
	 * Most requests per second, retries included; 0 means no limit.
	 */
	private int maxRateLimit;

	/**
	 * Longest time a request waits for a rate-limit permit; defaults to the deadline, or the timeout when no deadline is set.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration rateLimitTimeout;

	/**
	 * Proxy URL every request goes through, such as http://user:password@proxy:8080 or socks5://host:1080, or
	 * system for the proxy the JVM's http(s).proxyHost properties or the HTTPS_PROXY/HTTP_PROXY variables name.
	 */
	private @Nullable String proxy;

	/**
	 * Hosts reached without the proxy: names, *.domain patterns, or the JVM's a|*.b|localhost form.
	 */
	private List<String> nonProxyHosts = new ArrayList<>();

	/**
	 * Largest response body buffered in memory by retrieve() and exchange().
	 */
	@DataSizeUnit(DataUnit.BYTES)
	private DataSize maxInMemorySize = DataSize.ofMegabytes(10);

	/**
	 * Longest time a whole call may take, rate-limit waits, retries and backoff included; none by default.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration deadline;

	/**
	 * Response statuses that are retried.
	 */
	private Set<Integer> retryOnStatus = new LinkedHashSet<>(List.of(408, 429, 500, 502, 503, 504));

	/**
	 * Whether POST and PATCH are retried like idempotent methods (risks duplicated side effects).
	 */
	private boolean retryNonIdempotent;

	/**
	 * Factor applied to the delay after each retry; 1 keeps the delay fixed.
	 */
	private double retryBackoffMultiplier = 1.0;

	/**
	 * Longest delay between attempts.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration retryMaxDelay = Duration.ofSeconds(30);

	/**
	 * Largest random amount added to or subtracted from each delay.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration retryJitter = Duration.ZERO;

	/**
	 * Longest Retry-After the client waits; a longer one fails the call at once.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration retryAfterMax = Duration.ofSeconds(60);

	/**
	 * Retries may add at most this percentage on top of the calls made over 10 seconds.
	 */
	private int retryBudgetPercent = 20;

	/**
	 * Retries per second always allowed, whatever the budget.
	 */
	private int retryBudgetMinPerSecond = 10;

	/**
	 * Headers whose values are never logged or shown, besides Authorization, Proxy-Authorization, Cookie and
	 * Set-Cookie.
	 */
	private Set<String> redactHeaders = new LinkedHashSet<>();

	/**
	 * Query parameters whose values are never logged or shown.
	 */
	private Set<String> redactQueryParams = new LinkedHashSet<>();

	/**
	 * Whether the client records its own pepperpy.http.client.* meters.
	 */
	private boolean metricsEnabled = true;

	/**
	 * Whether the per-attempt meter pepperpy.http.client.attempts is recorded.
	 */
	private boolean metricsPerAttempt = true;

	/**
	 * Whether calls and attempts are observed (http.client.requests and pepperpy.http.client.call, for metrics
	 * and tracing).
	 */
	private boolean observationEnabled = true;

	/**
	 * Whether 3xx responses with a Location are followed; credentials are dropped on a hop to another origin.
	 */
	private boolean followRedirects;

	/**
	 * Most redirects followed in one attempt.
	 */
	private int maxRedirects = 5;

	/**
	 * Name of the Spring Boot SSL bundle (spring.ssl.bundle.*) with the trust store and client certificate.
	 */
	private @Nullable String sslBundle;

	/**
	 * Bean names of RequestInterceptors applied to this client only; interceptor beans no client lists apply to
	 * every client.
	 */
	private List<String> interceptors = new ArrayList<>();

	/**
	 * Longest time closing the application waits for calls in flight before closing the connection pool.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration shutdownGracePeriod = Duration.ofSeconds(10);

	/**
	 * Whether HTTP/2 is offered, with HTTP/1.1 as fallback.
	 */
	private boolean http2;

	/**
	 * Connection pool of the client.
	 */
	@NestedConfigurationProperty
	private final PoolProperties pool = new PoolProperties();

	/**
	 * Circuit breaker around each attempt, off by default.
	 */
	@NestedConfigurationProperty
	private final CircuitBreakerProperties circuitBreaker = new CircuitBreakerProperties();

	/**
	 * Where max-rate-limit is enforced: in this instance or shared by all instances through Redis.
	 */
	@NestedConfigurationProperty
	private final RateLimitProperties rateLimit = new RateLimitProperties();

	public @Nullable String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(@Nullable String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public Map<String, String> getHeaders() {
		return this.headers;
	}

	public void setHeaders(Map<String, String> headers) {
		this.headers = headers;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
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

	public boolean isVerifySsl() {
		return this.verifySsl;
	}

	public void setVerifySsl(boolean verifySsl) {
		this.verifySsl = verifySsl;
	}

	public ResponseFormat getResponseFormat() {
		return this.responseFormat;
	}

	public void setResponseFormat(ResponseFormat responseFormat) {
		this.responseFormat = responseFormat;
	}

	public boolean isRaiseForStatus() {
		return this.raiseForStatus;
	}

	public void setRaiseForStatus(boolean raiseForStatus) {
		this.raiseForStatus = raiseForStatus;
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

	public @Nullable String getProxy() {
		return this.proxy;
	}

	public void setProxy(@Nullable String proxy) {
		this.proxy = proxy;
	}

	public List<String> getNonProxyHosts() {
		return this.nonProxyHosts;
	}

	public void setNonProxyHosts(List<String> nonProxyHosts) {
		this.nonProxyHosts = nonProxyHosts;
	}

	public DataSize getMaxInMemorySize() {
		return this.maxInMemorySize;
	}

	public void setMaxInMemorySize(DataSize maxInMemorySize) {
		this.maxInMemorySize = maxInMemorySize;
	}

	public @Nullable Duration getDeadline() {
		return this.deadline;
	}

	public void setDeadline(@Nullable Duration deadline) {
		this.deadline = deadline;
	}

	public Set<Integer> getRetryOnStatus() {
		return this.retryOnStatus;
	}

	public void setRetryOnStatus(Set<Integer> retryOnStatus) {
		this.retryOnStatus = retryOnStatus;
	}

	public boolean isRetryNonIdempotent() {
		return this.retryNonIdempotent;
	}

	public void setRetryNonIdempotent(boolean retryNonIdempotent) {
		this.retryNonIdempotent = retryNonIdempotent;
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

	public Duration getRetryAfterMax() {
		return this.retryAfterMax;
	}

	public void setRetryAfterMax(Duration retryAfterMax) {
		this.retryAfterMax = retryAfterMax;
	}

	public int getRetryBudgetPercent() {
		return this.retryBudgetPercent;
	}

	public void setRetryBudgetPercent(int retryBudgetPercent) {
		this.retryBudgetPercent = retryBudgetPercent;
	}

	public int getRetryBudgetMinPerSecond() {
		return this.retryBudgetMinPerSecond;
	}

	public void setRetryBudgetMinPerSecond(int retryBudgetMinPerSecond) {
		this.retryBudgetMinPerSecond = retryBudgetMinPerSecond;
	}

	public Set<String> getRedactHeaders() {
		return this.redactHeaders;
	}

	public void setRedactHeaders(Set<String> redactHeaders) {
		this.redactHeaders = redactHeaders;
	}

	public Set<String> getRedactQueryParams() {
		return this.redactQueryParams;
	}

	public void setRedactQueryParams(Set<String> redactQueryParams) {
		this.redactQueryParams = redactQueryParams;
	}

	public boolean isMetricsEnabled() {
		return this.metricsEnabled;
	}

	public void setMetricsEnabled(boolean metricsEnabled) {
		this.metricsEnabled = metricsEnabled;
	}

	public boolean isMetricsPerAttempt() {
		return this.metricsPerAttempt;
	}

	public void setMetricsPerAttempt(boolean metricsPerAttempt) {
		this.metricsPerAttempt = metricsPerAttempt;
	}

	public boolean isObservationEnabled() {
		return this.observationEnabled;
	}

	public void setObservationEnabled(boolean observationEnabled) {
		this.observationEnabled = observationEnabled;
	}

	public boolean isFollowRedirects() {
		return this.followRedirects;
	}

	public void setFollowRedirects(boolean followRedirects) {
		this.followRedirects = followRedirects;
	}

	public int getMaxRedirects() {
		return this.maxRedirects;
	}

	public void setMaxRedirects(int maxRedirects) {
		this.maxRedirects = maxRedirects;
	}

	public @Nullable String getSslBundle() {
		return this.sslBundle;
	}

	public void setSslBundle(@Nullable String sslBundle) {
		this.sslBundle = sslBundle;
	}

	public List<String> getInterceptors() {
		return this.interceptors;
	}

	public void setInterceptors(List<String> interceptors) {
		this.interceptors = interceptors;
	}

	public Duration getShutdownGracePeriod() {
		return this.shutdownGracePeriod;
	}

	public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
		this.shutdownGracePeriod = shutdownGracePeriod;
	}

	public boolean isHttp2() {
		return this.http2;
	}

	public void setHttp2(boolean http2) {
		this.http2 = http2;
	}

	public PoolProperties getPool() {
		return this.pool;
	}

	public RateLimitProperties getRateLimit() {
		return this.rateLimit;
	}

	public CircuitBreakerProperties getCircuitBreaker() {
		return this.circuitBreaker;
	}

}
