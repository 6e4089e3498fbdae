package io.pepperpy.network.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.pepperpy.network.InvalidSettingException;
import io.pepperpy.network.RetrySettings;
import io.pepperpy.network.circuit.CircuitBreakerSettings;
import io.pepperpy.network.internal.ClientConfigBuilder;
import io.pepperpy.network.internal.SettingChecks;
import io.pepperpy.network.limit.RateLimitSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Immutable configuration of an {@link HttpClient} (the PepperPy Network module's {@code HTTPConfig}). Create one
 * with {@link #builder()}, whose setters are named after the properties ({@code retries}, {@code retry-delay},
 * ...); derive a variant with {@link #toBuilder()}. Usable without Spring; in a Spring Boot application the
 * auto-configuration binds it from {@code pepperpy.network.http.*}.
 * <p>
 * The settings are grouped by what they govern, in the order a request meets them. Every value is checked when
 * its group is created: an invalid one throws {@link InvalidSettingException} naming the property and the value.
 *
 * @param name name of the client, used in logs and metrics
 * @param baseUrl absolute http(s) URL that relative request paths resolve against, or {@code null}; when set,
 * requests may only go to its origin
 * @param headers default headers sent with every request
 * @param interceptors interceptors applied to every attempt, in order
 * @param timeouts how long to connect, one attempt and a whole call may take
 * @param retry what is retried and how often
 * @param circuitBreaker whether attempts pass a circuit breaker, and when it opens
 * @param rateLimit most requests per second, the wait for a permit, and where the limit is kept
 * @param redirects whether redirects are followed, and how many
 * @param transport TLS verification, proxy, HTTP/2, connection pool and shutdown grace period
 * @param decoding how responses are read
 * @param observability meters, observations and redaction
 * @param accessTokens where the {@code Authorization: Bearer} token of every attempt comes from, or {@code null}
 */
public record HttpConfig(String name, @Nullable String baseUrl, Map<String, String> headers,
		List<RequestInterceptor> interceptors, Timeouts timeouts, RetryRules retry,
		CircuitBreakerSettings circuitBreaker, RateLimitSettings rateLimit,
		Redirects redirects, Transport transport, Decoding decoding, Observability observability,
		@Nullable AccessTokenSource accessTokens) {

	/**
	 * Default client name.
	 */
	public static final String DEFAULT_NAME = "default";

	/**
	 * Check every value and make the collections immutable.
	 * @throws InvalidSettingException naming the first invalid value
	 */
	public HttpConfig {
		SettingChecks.check(StringUtils.hasText(name), "name", name, "not be empty");
		baseUrl = StringUtils.hasText(baseUrl) ? baseUrl.trim() : null;
		if (baseUrl != null) {
			checkHttpUrl("base-url", baseUrl);
		}
		headers = Collections.unmodifiableMap(new LinkedHashMap<>((headers != null) ? headers : Map.of()));
		for (Map.Entry<String, String> header : headers.entrySet()) {
			try {
				HeaderChecks.check(header.getKey(), header.getValue(), "headers");
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidSettingException("headers", InvalidSettingException.NOT_SHOWN, ex.getMessage(), ex);
			}
		}
		interceptors = List.copyOf((interceptors != null) ? interceptors : List.of());
		SettingChecks.notNull("timeouts", timeouts);
		SettingChecks.notNull("retry", retry);
		SettingChecks.notNull("circuit-breaker", circuitBreaker);
		SettingChecks.notNull("rate-limit", rateLimit);
		SettingChecks.notNull("redirects", redirects);
		SettingChecks.notNull("transport", transport);
		SettingChecks.notNull("decoding", decoding);
		SettingChecks.notNull("observability", observability);
	}

	/**
	 * Return the time a request may wait for a rate-limit permit.
	 * @return {@code rate-limit-timeout} if set, otherwise the deadline if set, otherwise the attempt timeout
	 */
	public Duration effectiveRateLimitTimeout() {
		return this.rateLimit.effectiveTimeout(this.timeouts.deadline(), this.timeouts.attempt());
	}

	/**
	 * Return the Redis key of the shared rate limit.
	 * @return {@code rate-limit.redis.key} if set, otherwise {@code pepperpy:rate-limit:<name>}
	 */
	public String effectiveRateLimitKey() {
		return this.rateLimit.effectiveKey(this.name);
	}

	/**
	 * Return a builder initialised with the defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the configuration with the defaults.
	 * @return the default configuration
	 */
	public static HttpConfig defaults() {
		return builder().build();
	}

	/**
	 * Return a builder initialised with this configuration's values.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	static void checkHttpUrl(String property, String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new InvalidSettingException(property, url,
					property + " '" + url + "' is not a valid URL: " + ex.getMessage(), ex);
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
		if (!"http".equals(scheme) && !"https".equals(scheme)) {
			throw new InvalidSettingException(property, url,
					property + " '" + url + "' must be an absolute URL starting with http:// or https://");
		}
		if (!StringUtils.hasText(uri.getHost())) {
			throw new InvalidSettingException(property, url, property + " '" + url + "' has no host");
		}
	}

	/**
	 * Builder of {@link HttpConfig}, one setter per property, starting from the defaults of each group: no base
	 * URL, no headers, 30 s timeout, 10 s connect timeout, 3 retries 1 s apart, SSL verified, JSON, raise for
	 * status, no rate limit, no proxy, 10 MB in memory, no deadline, retry on 408/429/500/502/503/504, POST and
	 * PATCH not retried, fixed delay (at most 30 s), no jitter, Retry-After up to 60 s, a retry budget of 20 % with
	 * 10 retries per second always allowed.
	 */
	public static final class Builder extends ClientConfigBuilder<Builder> {

		private String name = DEFAULT_NAME;

		private @Nullable String baseUrl;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private @Nullable AccessTokenSource accessTokens;

		private final List<RequestInterceptor> interceptors = new ArrayList<>();

		private Duration timeout = Timeouts.DEFAULTS.attempt();

		private Duration connectTimeout = Timeouts.DEFAULTS.connect();

		private @Nullable Duration deadline = Timeouts.DEFAULTS.deadline();

		private Set<Integer> retryOnStatus = RetryRules.DEFAULTS.onStatus();

		private boolean retryNonIdempotent = RetryRules.DEFAULTS.nonIdempotent();

		private Duration retryAfterMax = RetryRules.DEFAULTS.afterMax();

		private int retryBudgetPercent = RetryRules.DEFAULTS.budgetPercent();

		private int retryBudgetMinPerSecond = RetryRules.DEFAULTS.budgetMinPerSecond();

		private @Nullable RetryPredicate retryPredicate = RetryRules.DEFAULTS.predicate();

		private RateLimitSettings rateLimit = RateLimitSettings.DEFAULTS;

		private boolean followRedirects = Redirects.DEFAULTS.follow();

		private int maxRedirects = Redirects.DEFAULTS.max();

		private boolean verifySsl = Transport.DEFAULTS.verifySsl();

		private @Nullable String proxy = Transport.DEFAULTS.proxy();

		private List<String> nonProxyHosts = Transport.DEFAULTS.nonProxyHosts();

		private boolean http2 = Transport.DEFAULTS.http2();

		private ConnectionPool pool = Transport.DEFAULTS.pool();

		private Duration shutdownGracePeriod = Transport.DEFAULTS.shutdownGracePeriod();

		private ResponseFormat responseFormat = Decoding.DEFAULTS.format();

		private boolean raiseForStatus = Decoding.DEFAULTS.raiseForStatus();

		private int maxInMemorySize = Decoding.DEFAULTS.maxInMemorySize();

		private boolean metricsEnabled = Observability.DEFAULTS.metrics();

		private boolean metricsPerAttempt = Observability.DEFAULTS.metricsPerAttempt();

		private boolean observationEnabled = Observability.DEFAULTS.observation();

		private Set<String> redactHeaders = Observability.DEFAULTS.redactHeaders();

		private Set<String> redactQueryParams = Observability.DEFAULTS.redactQueryParams();

		private Builder() {
			super(RetryRules.DEFAULTS.settings(), RateLimitSettings.DEFAULTS, CircuitBreakerSettings.DEFAULTS);
		}

		private Builder(HttpConfig config) {
			super(config.retry.settings(), config.rateLimit, config.circuitBreaker);
			this.name = config.name;
			this.baseUrl = config.baseUrl;
			this.headers.putAll(config.headers);
			this.interceptors.addAll(config.interceptors);
			this.accessTokens = config.accessTokens;
			this.timeout = config.timeouts.attempt();
			this.connectTimeout = config.timeouts.connect();
			this.deadline = config.timeouts.deadline();
			this.retryOnStatus = config.retry.onStatus();
			this.retryNonIdempotent = config.retry.nonIdempotent();
			this.retryAfterMax = config.retry.afterMax();
			this.retryBudgetPercent = config.retry.budgetPercent();
			this.retryBudgetMinPerSecond = config.retry.budgetMinPerSecond();
			this.retryPredicate = config.retry.predicate();
			this.rateLimit = config.rateLimit;
			this.followRedirects = config.redirects.follow();
			this.maxRedirects = config.redirects.max();
			this.verifySsl = config.transport.verifySsl();
			this.proxy = config.transport.proxy();
			this.nonProxyHosts = config.transport.nonProxyHosts();
			this.http2 = config.transport.http2();
			this.pool = config.transport.pool();
			this.shutdownGracePeriod = config.transport.shutdownGracePeriod();
			this.responseFormat = config.decoding.format();
			this.raiseForStatus = config.decoding.raiseForStatus();
			this.maxInMemorySize = config.decoding.maxInMemorySize();
			this.metricsEnabled = config.observability.metrics();
			this.metricsPerAttempt = config.observability.metricsPerAttempt();
			this.observationEnabled = config.observability.observation();
			this.redactHeaders = config.observability.redactHeaders();
			this.redactQueryParams = config.observability.redactQueryParams();
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
		 * Set the base URL that relative paths resolve against.
		 * @param baseUrl an absolute http(s) URL, or {@code null} for none
		 * @return this builder
		 */
		public Builder baseUrl(@Nullable String baseUrl) {
			this.baseUrl = baseUrl;
			return this;
		}

		/**
		 * Add a default header, replacing one of the same name.
		 * @param name the header name
		 * @param value the header value
		 * @return this builder
		 */
		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Add default headers, replacing those of the same name.
		 * @param headers the headers
		 * @return this builder
		 */
		public Builder headers(Map<String, String> headers) {
			this.headers.putAll(headers);
			return this;
		}

		/**
		 * Set the per-attempt timeout, from connect to the last body byte.
		 * @param timeout a positive duration
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Set the connect timeout.
		 * @param connectTimeout a positive duration
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}



		/**
		 * Set whether TLS certificates and host names are verified.
		 * @param verifySsl {@code false} trusts every certificate (for tests only)
		 * @return this builder
		 */
		public Builder verifySsl(boolean verifySsl) {
			this.verifySsl = verifySsl;
			return this;
		}

		/**
		 * Set the default response format.
		 * @param responseFormat the format
		 * @return this builder
		 */
		public Builder responseFormat(ResponseFormat responseFormat) {
			this.responseFormat = responseFormat;
			return this;
		}

		/**
		 * Set whether a non-2xx status fails the call.
		 * @param raiseForStatus whether to raise
		 * @return this builder
		 */
		public Builder raiseForStatus(boolean raiseForStatus) {
			this.raiseForStatus = raiseForStatus;
			return this;
		}



		/**
		 * Set the proxy every request goes through.
		 * @param proxy a URL such as {@code http://user:pass@proxy:8080}, or {@code null} for none
		 * @return this builder
		 */
		public Builder proxy(@Nullable String proxy) {
			this.proxy = proxy;
			return this;
		}

		/**
		 * Set the largest body that is buffered in memory.
		 * @param maxInMemorySize bytes
		 * @return this builder
		 */
		public Builder maxInMemorySize(int maxInMemorySize) {
			this.maxInMemorySize = maxInMemorySize;
			return this;
		}

		/**
		 * Add an interceptor after those already added.
		 * @param interceptor the interceptor
		 * @return this builder
		 */
		public Builder interceptor(RequestInterceptor interceptor) {
			this.interceptors.add(interceptor);
			return this;
		}

		/**
		 * Set where the {@code Authorization: Bearer} token of every attempt comes from: applied after the
		 * interceptors when the request still goes to the caller's origin; a 401 drops it and sends once more.
		 * @param accessTokens the token source, or {@code null} for none
		 * @return this builder
		 */
		public Builder accessTokens(@Nullable AccessTokenSource accessTokens) {
			this.accessTokens = accessTokens;
			return this;
		}

		/**
		 * Replace the interceptors.
		 * @param interceptors the interceptors, in order
		 * @return this builder
		 */
		public Builder interceptors(List<? extends RequestInterceptor> interceptors) {
			this.interceptors.clear();
			this.interceptors.addAll(interceptors);
			return this;
		}

		/**
		 * Set the longest time a whole call may take, rate-limit waits, retries and backoff included.
		 * @param deadline a positive duration, or {@code null} for none
		 * @return this builder
		 */
		public Builder deadline(@Nullable Duration deadline) {
			this.deadline = deadline;
			return this;
		}

		/**
		 * Set the response statuses that are retried.
		 * @param retryOnStatus the statuses
		 * @return this builder
		 */
		public Builder retryOnStatus(Set<Integer> retryOnStatus) {
			this.retryOnStatus = retryOnStatus;
			return this;
		}

		/**
		 * Set whether POST and PATCH are retried like idempotent methods.
		 * @param retryNonIdempotent whether to retry them
		 * @return this builder
		 */
		public Builder retryNonIdempotent(boolean retryNonIdempotent) {
			this.retryNonIdempotent = retryNonIdempotent;
			return this;
		}




		/**
		 * Set the longest {@code Retry-After} the client is willing to wait.
		 * @param retryAfterMax the cap
		 * @return this builder
		 */
		public Builder retryAfterMax(Duration retryAfterMax) {
			this.retryAfterMax = retryAfterMax;
			return this;
		}

		/**
		 * Set how many retries, as a percentage of first attempts over 10 s, the client may add.
		 * @param retryBudgetPercent the percentage
		 * @return this builder
		 */
		public Builder retryBudgetPercent(int retryBudgetPercent) {
			this.retryBudgetPercent = retryBudgetPercent;
			return this;
		}

		/**
		 * Set the retries per second always allowed, whatever the budget.
		 * @param retryBudgetMinPerSecond retries per second
		 * @return this builder
		 */
		public Builder retryBudgetMinPerSecond(int retryBudgetMinPerSecond) {
			this.retryBudgetMinPerSecond = retryBudgetMinPerSecond;
			return this;
		}

		/**
		 * Set a custom retry rule.
		 * @param retryPredicate the rule, or {@code null}
		 * @return this builder
		 */
		public Builder retryPredicate(@Nullable RetryPredicate retryPredicate) {
			this.retryPredicate = retryPredicate;
			return this;
		}

		/**
		 * Set headers whose values are never logged or shown, besides the built-in credential headers.
		 * @param redactHeaders header names, case-insensitive
		 * @return this builder
		 */
		public Builder redactHeaders(Set<String> redactHeaders) {
			this.redactHeaders = redactHeaders;
			return this;
		}

		/**
		 * Set query parameters whose values are never logged or shown.
		 * @param redactQueryParams parameter names
		 * @return this builder
		 */
		public Builder redactQueryParams(Set<String> redactQueryParams) {
			this.redactQueryParams = redactQueryParams;
			return this;
		}

		/**
		 * Set whether the client records its own meters.
		 * @param metricsEnabled whether to record them
		 * @return this builder
		 */
		public Builder metricsEnabled(boolean metricsEnabled) {
			this.metricsEnabled = metricsEnabled;
			return this;
		}

		/**
		 * Set whether the per-attempt meter is recorded.
		 * @param metricsPerAttempt whether to record it
		 * @return this builder
		 */
		public Builder metricsPerAttempt(boolean metricsPerAttempt) {
			this.metricsPerAttempt = metricsPerAttempt;
			return this;
		}

		/**
		 * Set whether calls and attempts are observed (Micrometer Observation: metrics and tracing).
		 * @param observationEnabled whether to observe them
		 * @return this builder
		 */
		public Builder observationEnabled(boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
			return this;
		}

		/**
		 * Set whether redirects are followed (off by default).
		 * @param followRedirects whether to follow them
		 * @return this builder
		 */
		public Builder followRedirects(boolean followRedirects) {
			this.followRedirects = followRedirects;
			return this;
		}

		/**
		 * Set the most redirects followed in one attempt.
		 * @param maxRedirects 0 or more
		 * @return this builder
		 */
		public Builder maxRedirects(int maxRedirects) {
			this.maxRedirects = maxRedirects;
			return this;
		}

		/**
		 * Set the connection pool settings.
		 * @param pool the settings
		 * @return this builder
		 */
		public Builder pool(ConnectionPool pool) {
			this.pool = pool;
			return this;
		}

		/**
		 * Set whether HTTP/2 is offered, with HTTP/1.1 as fallback.
		 * @param http2 whether to offer it
		 * @return this builder
		 */
		public Builder http2(boolean http2) {
			this.http2 = http2;
			return this;
		}

		/**
		 * Set the longest time a graceful close waits for calls in flight.
		 * @param shutdownGracePeriod the grace period
		 * @return this builder
		 */
		public Builder shutdownGracePeriod(Duration shutdownGracePeriod) {
			this.shutdownGracePeriod = shutdownGracePeriod;
			return this;
		}


		/**
		 * Set the whole rate limit: its rate and permit timeout, and where it is enforced (in this JVM by default).
		 * It replaces what {@link #maxRateLimit(int)} and {@link #rateLimitTimeout(Duration)} set.
		 * @param rateLimit the settings
		 * @return this builder
		 */
		public Builder rateLimit(RateLimitSettings rateLimit) {
			this.rateLimit = rateLimit;
			return maxRateLimit(rateLimit.maxPerSecond()).rateLimitTimeout(rateLimit.timeout());
		}

		/**
		 * Set the hosts reached without the proxy.
		 * @param nonProxyHosts names, {@code *.domain} (or {@code .domain}) patterns, or entries of the JVM's
		 * {@code a|*.b|localhost} form
		 * @return this builder
		 */
		public Builder nonProxyHosts(List<String> nonProxyHosts) {
			this.nonProxyHosts = List.copyOf(nonProxyHosts);
			return this;
		}

		/**
		 * Build the configuration, checking every value.
		 * @return the configuration
		 * @throws InvalidSettingException naming the first invalid value
		 */
		public HttpConfig build() {
			RetrySettings retry = retrySettings();
			return new HttpConfig(this.name, this.baseUrl, this.headers, this.interceptors,
					new Timeouts(this.connectTimeout, this.timeout, this.deadline),
					new RetryRules(retry, this.retryOnStatus, this.retryNonIdempotent, this.retryAfterMax,
							this.retryBudgetPercent, this.retryBudgetMinPerSecond, this.retryPredicate),
					circuitBreakerSettings(), rateLimitSettings(this.rateLimit),
					new Redirects(this.followRedirects, this.maxRedirects),
					new Transport(this.verifySsl, this.proxy, this.nonProxyHosts, this.http2, this.pool,
							this.shutdownGracePeriod),
					new Decoding(this.responseFormat, this.raiseForStatus, this.maxInMemorySize),
					new Observability(this.metricsEnabled, this.metricsPerAttempt, this.observationEnabled,
							this.redactHeaders, this.redactQueryParams),
					this.accessTokens);
		}

	}

}
