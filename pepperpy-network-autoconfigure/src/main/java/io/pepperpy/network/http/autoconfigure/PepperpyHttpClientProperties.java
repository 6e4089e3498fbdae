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
 * A property that is not set is {@code null}, so that each level shows through the one above it: a named client's
 * value, else the default client's, else Spring Boot's {@code spring.http.clients.*} where Boot has one, else the
 * default of {@link io.pepperpy.network.http.HttpConfig}, the one place the defaults are written (the configuration
 * metadata repeats them for the IDE, and a test pins that both agree).
 * <p>
 * These properties and {@link io.pepperpy.network.tcp.autoconfigure.TcpClientProperties} have no common base,
 * although a dozen names are the same: the configuration processor takes a property's description (the IDE's hint)
 * from the one field that declares it, and most of those names mean something different for each protocol (what a
 * retry repeats, what the connect timeout includes, requests or exchanges, a call's or an exchange's deadline).
 * Only {@code verify-ssl}, {@code retry-backoff-multiplier}, {@code retry-max-delay} and {@code retry-jitter} read
 * the same; a base class for four fields would not pay for itself. What is shared in meaning is shared as a
 * group: {@link CircuitBreakerProperties}.
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
	private @Nullable Duration timeout;

	/**
	 * Longest time to establish a connection.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration connectTimeout;

	/**
	 * Retries after the first attempt (3 means at most 4 attempts).
	 */
	private @Nullable Integer retries;

	/**
	 * Delay between attempts.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration retryDelay;

	/**
	 * Whether TLS certificates and host names are verified.
	 */
	private @Nullable Boolean verifySsl;

	/**
	 * How response bodies are decoded by default.
	 */
	private @Nullable ResponseFormat responseFormat;

	/**
	 * Whether a response status that is not 2xx fails the call with a NetworkException.
	 */
	private @Nullable Boolean raiseForStatus;

	/**
	 * Most requests per second, retries included; 0 means no limit.
	 */
	private @Nullable Integer maxRateLimit;

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
	private @Nullable DataSize maxInMemorySize;

	/**
	 * Longest time a whole call may take, rate-limit waits, retries and backoff included; none by default.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration deadline;

	/**
	 * Response statuses that are retried.
	 */
	private @Nullable Set<Integer> retryOnStatus;

	/**
	 * Whether POST and PATCH are retried like idempotent methods (risks duplicated side effects).
	 */
	private @Nullable Boolean retryNonIdempotent;

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
	 * Longest Retry-After the client waits; a longer one fails the call at once.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration retryAfterMax;

	/**
	 * Retries may add at most this percentage on top of the calls made over 10 seconds.
	 */
	private @Nullable Integer retryBudgetPercent;

	/**
	 * Retries per second always allowed, whatever the budget.
	 */
	private @Nullable Integer retryBudgetMinPerSecond;

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
	private @Nullable Boolean metricsEnabled;

	/**
	 * Whether the per-attempt meter pepperpy.http.client.attempts is recorded.
	 */
	private @Nullable Boolean metricsPerAttempt;

	/**
	 * Whether calls and attempts are observed (http.client.requests and pepperpy.http.client.call, for metrics
	 * and tracing).
	 */
	private @Nullable Boolean observationEnabled;

	/**
	 * Whether 3xx responses with a Location are followed; credentials are dropped on a hop to another origin.
	 */
	private @Nullable Boolean followRedirects;

	/**
	 * Most redirects followed in one attempt.
	 */
	private @Nullable Integer maxRedirects;

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
	private @Nullable Duration shutdownGracePeriod;

	/**
	 * Whether HTTP/2 is offered, with HTTP/1.1 as fallback.
	 */
	private @Nullable Boolean http2;

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

	/**
	 * The OAuth2 client credentials token sent on every attempt.
	 */
	@NestedConfigurationProperty
	private final OAuth2Properties oauth2 = new OAuth2Properties();

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

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	public @Nullable Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(@Nullable Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
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

	public @Nullable Boolean getVerifySsl() {
		return this.verifySsl;
	}

	public void setVerifySsl(@Nullable Boolean verifySsl) {
		this.verifySsl = verifySsl;
	}

	public @Nullable ResponseFormat getResponseFormat() {
		return this.responseFormat;
	}

	public void setResponseFormat(@Nullable ResponseFormat responseFormat) {
		this.responseFormat = responseFormat;
	}

	public @Nullable Boolean getRaiseForStatus() {
		return this.raiseForStatus;
	}

	public void setRaiseForStatus(@Nullable Boolean raiseForStatus) {
		this.raiseForStatus = raiseForStatus;
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

	public @Nullable DataSize getMaxInMemorySize() {
		return this.maxInMemorySize;
	}

	public void setMaxInMemorySize(@Nullable DataSize maxInMemorySize) {
		this.maxInMemorySize = maxInMemorySize;
	}

	public @Nullable Duration getDeadline() {
		return this.deadline;
	}

	public void setDeadline(@Nullable Duration deadline) {
		this.deadline = deadline;
	}

	public @Nullable Set<Integer> getRetryOnStatus() {
		return this.retryOnStatus;
	}

	public void setRetryOnStatus(@Nullable Set<Integer> retryOnStatus) {
		this.retryOnStatus = retryOnStatus;
	}

	public @Nullable Boolean getRetryNonIdempotent() {
		return this.retryNonIdempotent;
	}

	public void setRetryNonIdempotent(@Nullable Boolean retryNonIdempotent) {
		this.retryNonIdempotent = retryNonIdempotent;
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

	public @Nullable Duration getRetryAfterMax() {
		return this.retryAfterMax;
	}

	public void setRetryAfterMax(@Nullable Duration retryAfterMax) {
		this.retryAfterMax = retryAfterMax;
	}

	public @Nullable Integer getRetryBudgetPercent() {
		return this.retryBudgetPercent;
	}

	public void setRetryBudgetPercent(@Nullable Integer retryBudgetPercent) {
		this.retryBudgetPercent = retryBudgetPercent;
	}

	public @Nullable Integer getRetryBudgetMinPerSecond() {
		return this.retryBudgetMinPerSecond;
	}

	public void setRetryBudgetMinPerSecond(@Nullable Integer retryBudgetMinPerSecond) {
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

	public @Nullable Boolean getMetricsEnabled() {
		return this.metricsEnabled;
	}

	public void setMetricsEnabled(@Nullable Boolean metricsEnabled) {
		this.metricsEnabled = metricsEnabled;
	}

	public @Nullable Boolean getMetricsPerAttempt() {
		return this.metricsPerAttempt;
	}

	public void setMetricsPerAttempt(@Nullable Boolean metricsPerAttempt) {
		this.metricsPerAttempt = metricsPerAttempt;
	}

	public @Nullable Boolean getObservationEnabled() {
		return this.observationEnabled;
	}

	public void setObservationEnabled(@Nullable Boolean observationEnabled) {
		this.observationEnabled = observationEnabled;
	}

	public @Nullable Boolean getFollowRedirects() {
		return this.followRedirects;
	}

	public void setFollowRedirects(@Nullable Boolean followRedirects) {
		this.followRedirects = followRedirects;
	}

	public @Nullable Integer getMaxRedirects() {
		return this.maxRedirects;
	}

	public void setMaxRedirects(@Nullable Integer maxRedirects) {
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

	public @Nullable Duration getShutdownGracePeriod() {
		return this.shutdownGracePeriod;
	}

	public void setShutdownGracePeriod(@Nullable Duration shutdownGracePeriod) {
		this.shutdownGracePeriod = shutdownGracePeriod;
	}

	public @Nullable Boolean getHttp2() {
		return this.http2;
	}

	public void setHttp2(@Nullable Boolean http2) {
		this.http2 = http2;
	}

	public PoolProperties getPool() {
		return this.pool;
	}

	public RateLimitProperties getRateLimit() {
		return this.rateLimit;
	}

	public OAuth2Properties getOauth2() {
		return this.oauth2;
	}

	public CircuitBreakerProperties getCircuitBreaker() {
		return this.circuitBreaker;
	}

}
