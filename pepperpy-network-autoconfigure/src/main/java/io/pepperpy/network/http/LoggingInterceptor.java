package io.pepperpy.network.http;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The PepperPy Network module's {@code LoggingInterceptor}: logs every attempt going out and every response
 * coming back, at INFO, on the logger {@code io.pepperpy.network.http.LoggingInterceptor}. URLs and headers are
 * redacted as the client that sends them redacts them: user info, {@code Authorization},
 * {@code Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie} and the client's {@code redact-headers} and
 * {@code redact-query-params} never appear, so those names are configured once, on the client, and hold in this
 * interceptor's lines too; a constructor may add names for these lines only.
 * <p>
 * The client already logs one DEBUG line per attempt on {@code io.pepperpy.network.http.HttpClient.<name>}; use
 * this interceptor when you want those lines at INFO, or for some clients only.
 */
public class LoggingInterceptor implements RequestInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(LoggingInterceptor.class);

	private static final String START = LoggingInterceptor.class.getName() + ".start";

	private final Set<String> redactHeaders;

	private final Set<String> redactQueryParams;

	private final boolean logHeaders;

	/**
	 * Create an interceptor that logs method, URL, status and duration.
	 */
	public LoggingInterceptor() {
		this(false);
	}

	/**
	 * Create an interceptor that redacts what the client redacts.
	 * @param logHeaders whether to log request and response headers (redacted)
	 */
	public LoggingInterceptor(boolean logHeaders) {
		this(logHeaders, Set.of(), Set.of());
	}

	/**
	 * Create an interceptor that redacts further names in its own lines.
	 * @param logHeaders whether to log request and response headers (redacted)
	 * @param redactHeaders header names to redact in addition to the client's {@code redact-headers}
	 * @param redactQueryParams query parameter names to redact in addition to the client's
	 * {@code redact-query-params}
	 */
	public LoggingInterceptor(boolean logHeaders, Set<String> redactHeaders, Set<String> redactQueryParams) {
		this.redactHeaders = Set.copyOf(redactHeaders);
		this.redactQueryParams = Set.copyOf(redactQueryParams);
		this.logHeaders = logHeaders;
	}

	@Override
	public Mono<Void> preRequest(InterceptedRequest request) {
		return Mono.fromRunnable(() -> {
			request.attributes().put(START, System.nanoTime());
			if (!logger.isInfoEnabled()) {
				return;
			}
			Redactor redactor = redactor(request);
			if (this.logHeaders) {
				logger.info("Making {} request to {} (attempt {}) {}", request.method(), redactor.url(request.url()),
						request.attempt(), redactor.headers(request.headers()));
			}
			else {
				logger.info("Making {} request to {} (attempt {})", request.method(), redactor.url(request.url()),
						request.attempt());
			}
		});
	}

	@Override
	public Mono<Void> postResponse(InterceptedResponse response) {
		return Mono.fromRunnable(() -> {
			if (!logger.isInfoEnabled()) {
				return;
			}
			Object start = response.request().attributes().get(START);
			long millis = (start instanceof Long nanos) ? (System.nanoTime() - nanos) / 1_000_000 : -1;
			InterceptedRequest request = response.request();
			Redactor redactor = redactor(request);
			if (this.logHeaders) {
				logger.info("Got response with status {} for {} {} in {} ms {}", response.status().value(),
						request.method(), redactor.url(request.url()), millis, redactor.headers(response.headers()));
			}
			else {
				logger.info("Got response with status {} for {} {} in {} ms", response.status().value(),
						request.method(), redactor.url(request.url()), millis);
			}
		});
	}

	/**
	 * The client's redactor, with this interceptor's own names added when it was given some.
	 */
	private Redactor redactor(InterceptedRequest request) {
		return request.redactor().with(this.redactHeaders, this.redactQueryParams);
	}

}
