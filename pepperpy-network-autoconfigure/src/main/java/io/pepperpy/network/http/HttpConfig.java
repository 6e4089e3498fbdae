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

import io.pepperpy.network.NetworkException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Immutable configuration of an {@link HttpClient} (the brief's {@code HTTPConfig}). Create one with
 * {@link #builder()}; derive a variant with {@link #toBuilder()}. Usable without Spring; in a Spring Boot
 * application the auto-configuration binds it from {@code pepperpy.network.http.*}.
 * <p>
 * Every value is checked when the record is created: an invalid one throws {@link IllegalArgumentException}
 * naming the property and the value.
 *
 * @param name name of the client, used in logs and metrics
 * @param baseUrl absolute http(s) URL that relative request paths resolve against, or {@code null}; when set,
 * requests may only go to its origin
 * @param headers default headers sent with every request
 * @param timeout longest time one attempt may take, from connect to the last byte of the body
 * @param connectTimeout longest time to establish a connection
 * @param retries retries after the first attempt ({@code 3} means at most 4 attempts)
 * @param retryDelay delay between attempts
 * @param verifySsl whether TLS certificates and host names are verified
 * @param responseFormat how {@code retrieve()} decodes bodies by default
 * @param raiseForStatus whether a non-2xx status fails the call with a {@link NetworkException}
 * @param maxRateLimit most requests per second, attempts included; {@code 0} means no limit
 * @param rateLimitTimeout longest time a request waits for a rate-limit permit, or {@code null} for the
 * {@code timeout}
 * @param proxy proxy URL such as {@code http://user:pass@proxy:8080} or {@code socks5://host:1080},
 * {@code system} for the proxy the JVM's properties or the environment name, or {@code null}
 * @param maxInMemorySize largest body, in bytes, that {@code retrieve()} and {@code exchange()} buffer
 * @param interceptors interceptors applied to every attempt, in order
 * @param deadline longest time a whole call may take, rate-limit waits, retries and backoff included, or
 * {@code null} for none
 * @param retryOnStatus response statuses that are retried
 * @param retryNonIdempotent whether POST and PATCH are retried like idempotent methods
 * @param retryBackoffMultiplier factor applied to the delay after each retry ({@code 1} keeps it fixed)
 * @param retryMaxDelay longest delay between attempts
 * @param retryJitter largest random amount added to or subtracted from each delay
 * @param retryAfterMax longest {@code Retry-After} the client waits; a longer one fails the call at once
 * @param retryBudgetPercent retries may add at most this percentage on top of first attempts over 10 s
 * @param retryBudgetMinPerSecond retries per second always allowed, whatever the budget
 * @param retryPredicate custom retry rule consulted after the built-in ones, or {@code null}
 * @param redactHeaders headers whose values are never logged or shown, besides {@code Authorization},
 * {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie}
 * @param redactQueryParams query parameters whose values are never logged or shown
 * @param metricsEnabled whether the client records its own {@code pepperpy.http.client.*} meters
 * @param metricsPerAttempt whether the per-attempt meter {@code pepperpy.http.client.attempts} is recorded
 * @param observationEnabled whether each attempt is observed as Spring's {@code http.client.requests} and each
 * call as {@code pepperpy.http.client.call}
 * @param followRedirects whether 3xx responses with a {@code Location} are followed
 * @param maxRedirects most redirects followed in one attempt
 * @param pool the client's connection pool
 * @param http2 whether HTTP/2 is offered (with HTTP/1.1 as fallback)
 * @param shutdownGracePeriod longest time {@link HttpClient#closeGracefully()} waits for calls in flight
 * @param rateLimit where {@code max-rate-limit} is enforced: in this JVM or shared through Redis
 * @param nonProxyHosts hosts reached without the proxy: names, {@code *.domain} (or {@code .domain}) patterns,
 * or entries of the JVM's {@code a|*.b|localhost} form
 */
public record HttpConfig(String name, @Nullable String baseUrl, Map<String, String> headers, Duration timeout,
		Duration connectTimeout, int retries, Duration retryDelay, boolean verifySsl, ResponseFormat responseFormat,
		boolean raiseForStatus, int maxRateLimit, @Nullable Duration rateLimitTimeout, @Nullable String proxy,
		int maxInMemorySize, List<RequestInterceptor> interceptors, @Nullable Duration deadline,
		Set<Integer> retryOnStatus, boolean retryNonIdempotent, double retryBackoffMultiplier, Duration retryMaxDelay,
		Duration retryJitter, Duration retryAfterMax, int retryBudgetPercent, int retryBudgetMinPerSecond,
		@Nullable RetryPredicate retryPredicate, Set<String> redactHeaders, Set<String> redactQueryParams,
		boolean metricsEnabled, boolean metricsPerAttempt, boolean observationEnabled, boolean followRedirects,
		int maxRedirects, Pool pool, boolean http2, Duration shutdownGracePeriod, RateLimit rateLimit,
		List<String> nonProxyHosts) {

	/**
	 * Where the client's {@code max-rate-limit} is enforced.
	 *
	 * @param backend {@link Backend#LOCAL} (this JVM) or {@link Backend#REDIS} (every instance sharing the key)
	 * @param key Redis key of the shared limit, or {@code null} for {@code pepperpy:rate-limit:<client name>}
	 * @param expectedInstances instances expected to share the limit; while Redis is unreachable each one allows
	 * {@code max-rate-limit / expected-instances} per second
	 * @param commandTimeout longest wait for one Redis command before the client falls back to its local share
	 */
	public record RateLimit(Backend backend, @Nullable String key, int expectedInstances, Duration commandTimeout) {

		/**
		 * The defaults: local backend; for Redis, the client's own key, 2 expected instances, 200 ms per command.
		 */
		public static final RateLimit DEFAULTS = new RateLimit(Backend.LOCAL, null, 2, Duration.ofMillis(200));

		/**
		 * Where the limit is kept.
		 */
		public enum Backend {

			/**
			 * In this JVM: each instance allows the full rate.
			 */
			LOCAL,

			/**
			 * In Redis: all instances that share the key allow the rate together.
			 */
			REDIS

		}

		/**
		 * Check every value.
		 */
		public RateLimit {
			Assert.notNull(backend, "rate-limit.backend must not be null");
			key = StringUtils.hasText(key) ? key.trim() : null;
			if (expectedInstances < 1) {
				throw new IllegalArgumentException(
						"rate-limit.redis.expected-instances must be 1 or more but was " + expectedInstances);
			}
			checkPositive("rate-limit.redis.command-timeout", commandTimeout);
		}

		/**
		 * Return a copy with another backend.
		 * @param backend the backend
		 * @return the copy
		 */
		public RateLimit withBackend(Backend backend) {
			return new RateLimit(backend, this.key, this.expectedInstances, this.commandTimeout);
		}

	}

	/**
	 * Settings of a client's own connection pool.
	 *
	 * @param maxConnections most connections open at once
	 * @param pendingAcquireMaxCount most requests waiting for a connection; beyond it a request fails at once
	 * ({@code -1}: no limit)
	 * @param pendingAcquireTimeout longest wait for a connection
	 * @param maxIdleTime how long an unused connection is kept; keep it below the servers' keep-alive timeout
	 * @param maxLifeTime how long a connection is used at most, so DNS changes are picked up
	 * @param evictionInterval how often idle and expired connections are closed in the background
	 */
	public record Pool(int maxConnections, int pendingAcquireMaxCount, Duration pendingAcquireTimeout,
			Duration maxIdleTime, Duration maxLifeTime, Duration evictionInterval) {

		/**
		 * The defaults: 500 connections, 1000 waiting for at most 10 s, 4 s idle (below the common 5 s keep-alive
		 * of Node.js and others), 10 min life, eviction every 5 s.
		 */
		public static final Pool DEFAULTS = new Pool(500, 1000, Duration.ofSeconds(10), Duration.ofSeconds(4),
				Duration.ofMinutes(10), Duration.ofSeconds(5));

		/**
		 * Check every value.
		 */
		public Pool {
			if (maxConnections < 1) {
				throw new IllegalArgumentException("pool.max-connections must be 1 or more but was " + maxConnections);
			}
			if (pendingAcquireMaxCount < -1 || pendingAcquireMaxCount == 0) {
				throw new IllegalArgumentException(
						"pool.pending-acquire-max-count must be -1 (no limit) or 1 or more but was "
								+ pendingAcquireMaxCount);
			}
			checkPositive("pool.pending-acquire-timeout", pendingAcquireTimeout);
			checkPositive("pool.max-idle-time", maxIdleTime);
			checkPositive("pool.max-life-time", maxLifeTime);
			checkPositive("pool.eviction-interval", evictionInterval);
		}

	}

	/**
	 * Statuses retried by default: 408, 429, 500, 502, 503 and 504.
	 */
	public static final Set<Integer> DEFAULT_RETRY_ON_STATUS = Set.of(408, 429, 500, 502, 503, 504);

	/**
	 * Default client name.
	 */
	public static final String DEFAULT_NAME = "default";

	/**
	 * Check every value and make the collections immutable.
	 */
	public HttpConfig {
		Assert.hasText(name, "'name' must not be empty");
		baseUrl = StringUtils.hasText(baseUrl) ? baseUrl.trim() : null;
		if (baseUrl != null) {
			checkHttpUrl("base-url", baseUrl);
		}
		headers = Collections.unmodifiableMap(new LinkedHashMap<>((headers != null) ? headers : Map.of()));
		for (Map.Entry<String, String> header : headers.entrySet()) {
			HeaderChecks.check(header.getKey(), header.getValue(), "headers");
		}
		checkPositive("timeout", timeout);
		checkPositive("connect-timeout", connectTimeout);
		if (retries < 0) {
			throw new IllegalArgumentException("retries must be 0 or more but was " + retries);
		}
		checkNotNegative("retry-delay", retryDelay);
		Assert.notNull(responseFormat, "response-format must not be null");
		if (maxRateLimit < 0) {
			throw new IllegalArgumentException(
					"max-rate-limit must be 0 (no limit) or more requests per second but was " + maxRateLimit);
		}
		if (rateLimitTimeout != null) {
			checkNotNegative("rate-limit-timeout", rateLimitTimeout);
		}
		proxy = StringUtils.hasText(proxy) ? proxy.trim() : null;
		if (proxy != null && !ProxySettings.SYSTEM.equalsIgnoreCase(proxy)) {
			ProxySettings.parse(proxy);
		}
		nonProxyHosts = List.copyOf((nonProxyHosts != null) ? nonProxyHosts : List.of());
		NonProxyHosts.of(nonProxyHosts);
		if (maxInMemorySize < 0) {
			throw new IllegalArgumentException("max-in-memory-size must be 0 or more bytes but was " + maxInMemorySize);
		}
		interceptors = List.copyOf((interceptors != null) ? interceptors : List.of());
		if (deadline != null) {
			checkPositive("deadline", deadline);
		}
		retryOnStatus = Set.copyOf((retryOnStatus != null) ? retryOnStatus : DEFAULT_RETRY_ON_STATUS);
		for (int status : retryOnStatus) {
			if (status < 100 || status > 599) {
				throw new IllegalArgumentException("retry-on-status must hold HTTP statuses (100-599) but has " + status);
			}
		}
		if (!(retryBackoffMultiplier >= 1.0) || Double.isInfinite(retryBackoffMultiplier)) {
			throw new IllegalArgumentException(
					"retry-backoff-multiplier must be 1 or more but was " + retryBackoffMultiplier);
		}
		checkNotNegative("retry-max-delay", retryMaxDelay);
		checkNotNegative("retry-jitter", retryJitter);
		checkNotNegative("retry-after-max", retryAfterMax);
		if (retryBudgetPercent < 0) {
			throw new IllegalArgumentException("retry-budget-percent must be 0 or more but was " + retryBudgetPercent);
		}
		redactHeaders = Set.copyOf((redactHeaders != null) ? redactHeaders : Set.of());
		redactQueryParams = Set.copyOf((redactQueryParams != null) ? redactQueryParams : Set.of());
		Assert.notNull(pool, "pool must not be null");
		checkNotNegative("shutdown-grace-period", shutdownGracePeriod);
		Assert.notNull(rateLimit, "rate-limit must not be null");
		if (maxRedirects < 0) {
			throw new IllegalArgumentException("max-redirects must be 0 or more but was " + maxRedirects);
		}
		if (retryBudgetMinPerSecond < 0) {
			throw new IllegalArgumentException(
					"retry-budget-min-per-second must be 0 or more but was " + retryBudgetMinPerSecond);
		}
	}

	/**
	 * Return the time a request may wait for a rate-limit permit.
	 * @return {@link #rateLimitTimeout()} if set, otherwise {@link #deadline()} if set, otherwise
	 * {@link #timeout()}
	 */
	public Duration effectiveRateLimitTimeout() {
		if (this.rateLimitTimeout != null) {
			return this.rateLimitTimeout;
		}
		return (this.deadline != null) ? this.deadline : this.timeout;
	}

	/**
	 * Return the Redis key of the shared rate limit.
	 * @return {@code rate-limit.redis.key} if set, otherwise {@code pepperpy:rate-limit:<name>}
	 */
	public String effectiveRateLimitKey() {
		return (this.rateLimit.key() != null) ? this.rateLimit.key() : "pepperpy:rate-limit:" + this.name;
	}

	/**
	 * Return a builder initialised with the brief's defaults.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the configuration with the brief's defaults.
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
			throw new IllegalArgumentException(property + " '" + url + "' is not a valid URL: " + ex.getMessage(), ex);
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
		if (!"http".equals(scheme) && !"https".equals(scheme)) {
			throw new IllegalArgumentException(
					property + " '" + url + "' must be an absolute URL starting with http:// or https://");
		}
		if (!StringUtils.hasText(uri.getHost())) {
			throw new IllegalArgumentException(property + " '" + url + "' has no host");
		}
	}

	private static void checkPositive(String property, Duration value) {
		if (value == null) {
			throw new IllegalArgumentException(property + " must not be null");
		}
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(property + " must be positive but was " + value);
		}
	}

	private static void checkNotNegative(String property, Duration value) {
		if (value == null) {
			throw new IllegalArgumentException(property + " must not be null");
		}
		if (value.isNegative()) {
			throw new IllegalArgumentException(property + " must not be negative but was " + value);
		}
	}

	/**
	 * Builder of {@link HttpConfig}, starting from the brief's defaults: no base URL, no headers, 30 s timeout,
	 * 10 s connect timeout, 3 retries 1 s apart, SSL verified, JSON, raise for status, no rate limit, no proxy,
	 * 10 MB in memory, no deadline, retry on 408/429/500/502/503/504, POST and PATCH not retried, fixed delay (at
	 * most 30 s), no jitter, Retry-After up to 60 s, a retry budget of 20 % with 10 retries per second always
	 * allowed.
	 */
	public static final class Builder {

		private String name = DEFAULT_NAME;

		private @Nullable String baseUrl;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private Duration timeout = Duration.ofSeconds(30);

		private Duration connectTimeout = Duration.ofSeconds(10);

		private int retries = 3;

		private Duration retryDelay = Duration.ofSeconds(1);

		private boolean verifySsl = true;

		private ResponseFormat responseFormat = ResponseFormat.JSON;

		private boolean raiseForStatus = true;

		private int maxRateLimit;

		private @Nullable Duration rateLimitTimeout;

		private @Nullable String proxy;

		private List<String> nonProxyHosts = List.of();

		private int maxInMemorySize = 10 * 1024 * 1024;

		private final List<RequestInterceptor> interceptors = new ArrayList<>();

		private @Nullable Duration deadline;

		private Set<Integer> retryOnStatus = DEFAULT_RETRY_ON_STATUS;

		private boolean retryNonIdempotent;

		private double retryBackoffMultiplier = 1.0;

		private Duration retryMaxDelay = Duration.ofSeconds(30);

		private Duration retryJitter = Duration.ZERO;

		private Duration retryAfterMax = Duration.ofSeconds(60);

		private int retryBudgetPercent = 20;

		private int retryBudgetMinPerSecond = 10;

		private @Nullable RetryPredicate retryPredicate;

		private Set<String> redactHeaders = Set.of();

		private Set<String> redactQueryParams = Set.of();

		private boolean metricsEnabled = true;

		private boolean metricsPerAttempt = true;

		private boolean observationEnabled = true;

		private boolean followRedirects;

		private int maxRedirects = 5;

		private Pool pool = Pool.DEFAULTS;

		private boolean http2;

		private Duration shutdownGracePeriod = Duration.ofSeconds(10);

		private RateLimit rateLimit = RateLimit.DEFAULTS;

		private Builder() {
		}

		private Builder(HttpConfig config) {
			this.name = config.name;
			this.baseUrl = config.baseUrl;
			this.headers.putAll(config.headers);
			this.timeout = config.timeout;
			this.connectTimeout = config.connectTimeout;
			this.retries = config.retries;
			this.retryDelay = config.retryDelay;
			this.verifySsl = config.verifySsl;
			this.responseFormat = config.responseFormat;
			this.raiseForStatus = config.raiseForStatus;
			this.maxRateLimit = config.maxRateLimit;
			this.rateLimitTimeout = config.rateLimitTimeout;
			this.proxy = config.proxy;
			this.maxInMemorySize = config.maxInMemorySize;
			this.interceptors.addAll(config.interceptors);
			this.deadline = config.deadline;
			this.retryOnStatus = config.retryOnStatus;
			this.retryNonIdempotent = config.retryNonIdempotent;
			this.retryBackoffMultiplier = config.retryBackoffMultiplier;
			this.retryMaxDelay = config.retryMaxDelay;
			this.retryJitter = config.retryJitter;
			this.retryAfterMax = config.retryAfterMax;
			this.retryBudgetPercent = config.retryBudgetPercent;
			this.retryBudgetMinPerSecond = config.retryBudgetMinPerSecond;
			this.retryPredicate = config.retryPredicate;
			this.redactHeaders = config.redactHeaders;
			this.redactQueryParams = config.redactQueryParams;
			this.metricsEnabled = config.metricsEnabled;
			this.metricsPerAttempt = config.metricsPerAttempt;
			this.observationEnabled = config.observationEnabled;
			this.followRedirects = config.followRedirects;
			this.maxRedirects = config.maxRedirects;
			this.pool = config.pool;
			this.http2 = config.http2;
			this.shutdownGracePeriod = config.shutdownGracePeriod;
			this.rateLimit = config.rateLimit;
			this.nonProxyHosts = config.nonProxyHosts;
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
		 * Set the number of retries after the first attempt.
		 * @param retries 0 or more
		 * @return this builder
		 */
		public Builder retries(int retries) {
			this.retries = retries;
			return this;
		}

		/**
		 * Set the delay between attempts.
		 * @param retryDelay a duration, not negative
		 * @return this builder
		 */
		public Builder retryDelay(Duration retryDelay) {
			this.retryDelay = retryDelay;
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
		 * Set the most requests per second, 0 for no limit.
		 * @param maxRateLimit the limit
		 * @return this builder
		 */
		public Builder maxRateLimit(int maxRateLimit) {
			this.maxRateLimit = maxRateLimit;
			return this;
		}

		/**
		 * Set the longest wait for a rate-limit permit.
		 * @param rateLimitTimeout the wait, or {@code null} for the timeout
		 * @return this builder
		 */
		public Builder rateLimitTimeout(@Nullable Duration rateLimitTimeout) {
			this.rateLimitTimeout = rateLimitTimeout;
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
		 * Set the factor applied to the delay after each retry.
		 * @param retryBackoffMultiplier 1 (fixed delay) or more
		 * @return this builder
		 */
		public Builder retryBackoffMultiplier(double retryBackoffMultiplier) {
			this.retryBackoffMultiplier = retryBackoffMultiplier;
			return this;
		}

		/**
		 * Set the longest delay between attempts.
		 * @param retryMaxDelay the delay
		 * @return this builder
		 */
		public Builder retryMaxDelay(Duration retryMaxDelay) {
			this.retryMaxDelay = retryMaxDelay;
			return this;
		}

		/**
		 * Set the largest random amount added to or subtracted from each delay.
		 * @param retryJitter the jitter
		 * @return this builder
		 */
		public Builder retryJitter(Duration retryJitter) {
			this.retryJitter = retryJitter;
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
		public Builder pool(Pool pool) {
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
		 * Set where the rate limit is enforced (in this JVM by default).
		 * @param rateLimit the settings
		 * @return this builder
		 */
		public Builder rateLimit(RateLimit rateLimit) {
			this.rateLimit = rateLimit;
			return this;
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
		 * Build and check the configuration.
		 * @return the configuration
		 * @throws IllegalArgumentException naming the first invalid value
		 */
		public HttpConfig build() {
			return new HttpConfig(this.name, this.baseUrl, this.headers, this.timeout, this.connectTimeout,
					this.retries, this.retryDelay, this.verifySsl, this.responseFormat, this.raiseForStatus,
					this.maxRateLimit, this.rateLimitTimeout, this.proxy, this.maxInMemorySize, this.interceptors,
					this.deadline, this.retryOnStatus, this.retryNonIdempotent, this.retryBackoffMultiplier,
					this.retryMaxDelay, this.retryJitter, this.retryAfterMax, this.retryBudgetPercent,
					this.retryBudgetMinPerSecond, this.retryPredicate, this.redactHeaders, this.redactQueryParams,
					this.metricsEnabled, this.metricsPerAttempt, this.observationEnabled, this.followRedirects,
					this.maxRedirects, this.pool, this.http2, this.shutdownGracePeriod, this.rateLimit,
					this.nonProxyHosts);
		}

	}

}
