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
import io.pepperpy.network.http.HttpConfig;
import io.pepperpy.network.http.ResponseFormat;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Properties of one pepperpy HTTP client: the default client's under {@code pepperpy.network.http.*}, a named
 * client's under {@code pepperpy.network.http.clients.<name>.*} over the defaults. Durations given as a bare
 * number are seconds ({@code timeout: 30}); units such as {@code 500ms} work too.
 * <p>
 * The properties check themselves when bound, so an invalid value fails start-up with a message naming the
 * property and the value.
 */
public class PepperpyHttpClientProperties implements Validator {

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
	private final Pool pool = new Pool();

	/**
	 * Where max-rate-limit is enforced: in this instance or shared by all instances through Redis.
	 */
	private final RateLimit rateLimit = new RateLimit();

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

	public Pool getPool() {
		return this.pool;
	}

	public RateLimit getRateLimit() {
		return this.rateLimit;
	}

	/**
	 * Rate-limit backend properties.
	 */
	public static class RateLimit {

		/**
		 * Where max-rate-limit is kept: local (each instance allows the full rate) or redis (all instances sharing
		 * the key allow it together).
		 */
		private HttpConfig.RateLimit.Backend backend = HttpConfig.RateLimit.Backend.LOCAL;

		/**
		 * Shared limit in Redis, used when the backend is redis.
		 */
		private final Redis redis = new Redis();

		public HttpConfig.RateLimit.Backend getBackend() {
			return this.backend;
		}

		public void setBackend(HttpConfig.RateLimit.Backend backend) {
			this.backend = backend;
		}

		public Redis getRedis() {
			return this.redis;
		}

		HttpConfig.RateLimit toConfig() {
			return new HttpConfig.RateLimit(this.backend, this.redis.key, this.redis.expectedInstances,
					this.redis.commandTimeout);
		}

	}

	/**
	 * Redis rate-limit properties.
	 */
	public static class Redis {

		/**
		 * Redis key of the shared limit; instances that use the same key share one limit. Defaults to
		 * pepperpy:rate-limit:<client name>.
		 */
		private @Nullable String key;

		/**
		 * Instances expected to share the limit; while Redis is unreachable each allows max-rate-limit divided by
		 * this.
		 */
		private int expectedInstances = 2;

		/**
		 * Longest wait for one Redis command before the call falls back to the local share.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration commandTimeout = Duration.ofMillis(200);

		public @Nullable String getKey() {
			return this.key;
		}

		public void setKey(@Nullable String key) {
			this.key = key;
		}

		public int getExpectedInstances() {
			return this.expectedInstances;
		}

		public void setExpectedInstances(int expectedInstances) {
			this.expectedInstances = expectedInstances;
		}

		public Duration getCommandTimeout() {
			return this.commandTimeout;
		}

		public void setCommandTimeout(Duration commandTimeout) {
			this.commandTimeout = commandTimeout;
		}

	}

	/**
	 * Connection pool properties.
	 */
	public static class Pool {

		/**
		 * Most connections open at once.
		 */
		private int maxConnections = HttpConfig.Pool.DEFAULTS.maxConnections();

		/**
		 * Most requests waiting for a connection; beyond it a request fails at once (-1: no limit).
		 */
		private int pendingAcquireMaxCount = HttpConfig.Pool.DEFAULTS.pendingAcquireMaxCount();

		/**
		 * Longest wait for a connection.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration pendingAcquireTimeout = HttpConfig.Pool.DEFAULTS.pendingAcquireTimeout();

		/**
		 * How long an unused connection is kept; keep it below the servers' keep-alive timeout.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration maxIdleTime = HttpConfig.Pool.DEFAULTS.maxIdleTime();

		/**
		 * How long a connection is used at most, so that DNS changes are picked up.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration maxLifeTime = HttpConfig.Pool.DEFAULTS.maxLifeTime();

		/**
		 * How often idle and expired connections are closed in the background.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration evictionInterval = HttpConfig.Pool.DEFAULTS.evictionInterval();

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getPendingAcquireMaxCount() {
			return this.pendingAcquireMaxCount;
		}

		public void setPendingAcquireMaxCount(int pendingAcquireMaxCount) {
			this.pendingAcquireMaxCount = pendingAcquireMaxCount;
		}

		public Duration getPendingAcquireTimeout() {
			return this.pendingAcquireTimeout;
		}

		public void setPendingAcquireTimeout(Duration pendingAcquireTimeout) {
			this.pendingAcquireTimeout = pendingAcquireTimeout;
		}

		public Duration getMaxIdleTime() {
			return this.maxIdleTime;
		}

		public void setMaxIdleTime(Duration maxIdleTime) {
			this.maxIdleTime = maxIdleTime;
		}

		public Duration getMaxLifeTime() {
			return this.maxLifeTime;
		}

		public void setMaxLifeTime(Duration maxLifeTime) {
			this.maxLifeTime = maxLifeTime;
		}

		public Duration getEvictionInterval() {
			return this.evictionInterval;
		}

		public void setEvictionInterval(Duration evictionInterval) {
			this.evictionInterval = evictionInterval;
		}

		HttpConfig.Pool toConfig() {
			return new HttpConfig.Pool(this.maxConnections, this.pendingAcquireMaxCount, this.pendingAcquireTimeout,
					this.maxIdleTime, this.maxLifeTime, this.evictionInterval);
		}

	}

	/**
	 * Map these properties to the client configuration.
	 * @param name the client's name
	 * @return the configuration builder, ready for interceptors
	 */
	public HttpConfig.Builder toConfig(String name) {
		return HttpConfig.builder()
			.name(name)
			.baseUrl(this.baseUrl)
			.headers(this.headers)
			.timeout(this.timeout)
			.connectTimeout(this.connectTimeout)
			.retries(this.retries)
			.retryDelay(this.retryDelay)
			.verifySsl(this.verifySsl)
			.responseFormat(this.responseFormat)
			.raiseForStatus(this.raiseForStatus)
			.maxRateLimit(this.maxRateLimit)
			.rateLimitTimeout(this.rateLimitTimeout)
			.proxy(this.proxy)
			.nonProxyHosts(this.nonProxyHosts)
			.maxInMemorySize((int) Math.min(Integer.MAX_VALUE, this.maxInMemorySize.toBytes()))
			.deadline(this.deadline)
			.retryOnStatus(this.retryOnStatus)
			.retryNonIdempotent(this.retryNonIdempotent)
			.retryBackoffMultiplier(this.retryBackoffMultiplier)
			.retryMaxDelay(this.retryMaxDelay)
			.retryJitter(this.retryJitter)
			.retryAfterMax(this.retryAfterMax)
			.retryBudgetPercent(this.retryBudgetPercent)
			.retryBudgetMinPerSecond(this.retryBudgetMinPerSecond)
			.redactHeaders(this.redactHeaders)
			.redactQueryParams(this.redactQueryParams)
			.metricsEnabled(this.metricsEnabled)
			.metricsPerAttempt(this.metricsPerAttempt)
			.observationEnabled(this.observationEnabled)
			.followRedirects(this.followRedirects)
			.maxRedirects(this.maxRedirects)
			.http2(this.http2)
			.pool(this.pool.toConfig())
			.rateLimit(this.rateLimit.toConfig())
			.shutdownGracePeriod(this.shutdownGracePeriod);
	}

	@Override
	public boolean supports(Class<?> type) {
		return PepperpyHttpClientProperties.class.isAssignableFrom(type);
	}

	/**
	 * Properties checked one by one by {@link #validate(Object, Errors)}.
	 */
	private static final String[] CHECKED = { "baseUrl", "headers", "timeout", "connectTimeout", "retries",
			"retryDelay", "maxRateLimit", "rateLimitTimeout", "proxy", "nonProxyHosts", "deadline", "retryOnStatus",
			"retryBackoffMultiplier", "retryMaxDelay", "retryJitter", "retryAfterMax", "retryBudgetPercent",
			"retryBudgetMinPerSecond", "maxRedirects" };

	/**
	 * Check each property by building the configuration with it alone, so that each error names its property.
	 * Written without lambdas: this runs at every start-up, where each lambda costs time to link.
	 */
	@Override
	public void validate(Object target, Errors errors) {
		PepperpyHttpClientProperties properties = (PepperpyHttpClientProperties) target;
		for (String field : CHECKED) {
			try {
				properties.withOnly(field, HttpConfig.builder()).build();
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				String message = StringUtils.hasText(ex.getMessage()) ? ex.getMessage() : "invalid value";
				Object shown = (field.equals("headers") || field.equals("proxy")) ? "(not shown)"
						: properties.shown(field);
				errors.rejectValue(field, "invalid", new Object[] { shown }, message);
			}
		}
		try {
			properties.rateLimit.toConfig();
		}
		catch (IllegalArgumentException ex) {
			errors.rejectValue("rateLimit", "invalid", ex.getMessage());
		}
		try {
			properties.pool.toConfig();
		}
		catch (IllegalArgumentException ex) {
			errors.rejectValue("pool", "invalid", ex.getMessage());
		}
		if (properties.sslBundle != null && !properties.verifySsl) {
			errors.rejectValue("sslBundle", "conflict", new Object[] { properties.sslBundle },
					"ssl-bundle cannot be combined with verify-ssl: false");
		}
		if (properties.shutdownGracePeriod == null || properties.shutdownGracePeriod.isNegative()) {
			errors.rejectValue("shutdownGracePeriod", "invalid", "shutdown-grace-period must not be negative");
		}
		if (properties.maxInMemorySize == null || properties.maxInMemorySize.isNegative()
				|| properties.maxInMemorySize.toBytes() > Integer.MAX_VALUE) {
			errors.rejectValue("maxInMemorySize", "invalid", "max-in-memory-size must be between 0 and 2GB");
		}
	}

	/**
	 * Set one property on a builder of defaults.
	 */
	private HttpConfig.Builder withOnly(String field, HttpConfig.Builder builder) {
		return switch (field) {
			case "baseUrl" -> builder.baseUrl(this.baseUrl);
			case "headers" -> builder.headers(this.headers);
			case "timeout" -> builder.timeout(this.timeout);
			case "connectTimeout" -> builder.connectTimeout(this.connectTimeout);
			case "retries" -> builder.retries(this.retries);
			case "retryDelay" -> builder.retryDelay(this.retryDelay);
			case "maxRateLimit" -> builder.maxRateLimit(this.maxRateLimit);
			case "rateLimitTimeout" -> builder.rateLimitTimeout(this.rateLimitTimeout);
			case "proxy" -> builder.proxy(this.proxy);
			case "nonProxyHosts" -> builder.nonProxyHosts(this.nonProxyHosts);
			case "deadline" -> builder.deadline(this.deadline);
			case "retryOnStatus" -> builder.retryOnStatus(this.retryOnStatus);
			case "retryBackoffMultiplier" -> builder.retryBackoffMultiplier(this.retryBackoffMultiplier);
			case "retryMaxDelay" -> builder.retryMaxDelay(this.retryMaxDelay);
			case "retryJitter" -> builder.retryJitter(this.retryJitter);
			case "retryAfterMax" -> builder.retryAfterMax(this.retryAfterMax);
			case "retryBudgetPercent" -> builder.retryBudgetPercent(this.retryBudgetPercent);
			case "retryBudgetMinPerSecond" -> builder.retryBudgetMinPerSecond(this.retryBudgetMinPerSecond);
			case "maxRedirects" -> builder.maxRedirects(this.maxRedirects);
			default -> throw new IllegalStateException("not a checked property: " + field);
		};
	}

	/**
	 * Return a property's value as an error message shows it.
	 */
	private @Nullable Object shown(String field) {
		return switch (field) {
			case "baseUrl" -> this.baseUrl;
			case "timeout" -> this.timeout;
			case "connectTimeout" -> this.connectTimeout;
			case "retries" -> this.retries;
			case "retryDelay" -> this.retryDelay;
			case "maxRateLimit" -> this.maxRateLimit;
			case "rateLimitTimeout" -> this.rateLimitTimeout;
			case "nonProxyHosts" -> this.nonProxyHosts;
			case "deadline" -> this.deadline;
			case "retryOnStatus" -> this.retryOnStatus;
			case "retryBackoffMultiplier" -> this.retryBackoffMultiplier;
			case "retryMaxDelay" -> this.retryMaxDelay;
			case "retryJitter" -> this.retryJitter;
			case "retryAfterMax" -> this.retryAfterMax;
			case "retryBudgetPercent" -> this.retryBudgetPercent;
			case "retryBudgetMinPerSecond" -> this.retryBudgetMinPerSecond;
			case "maxRedirects" -> this.maxRedirects;
			default -> "(not shown)";
		};
	}

}
