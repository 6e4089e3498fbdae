package io.pepperpy.network.http;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The PepperPy Network module's {@code LoggingInterceptor}: logs every attempt going out and every response
 * coming back, at INFO, on the logger {@code io.pepperpy.network.http.LoggingInterceptor}. URLs and headers are redacted: user info,
 * {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie} and the given header and
 * query-parameter names never appear.
 * <p>
 * The client already logs one DEBUG line per attempt on {@code io.pepperpy.network.http.HttpClient.<name>}; use
 * this interceptor when you want those lines at INFO, or for some clients only.
 */
public class LoggingInterceptor implements RequestInterceptor {

	private static final Logger logger = LoggerFactory.getLogger(LoggingInterceptor.class);

	private static final String START = LoggingInterceptor.class.getName() + ".start";

	private final Redactor redactor;

	private final boolean logHeaders;

	/**
	 * Create an interceptor that logs method, URL, status and duration.
	 */
	public LoggingInterceptor() {
		this(false, Set.of(), Set.of());
	}

	/**
	 * Create an interceptor.
	 * @param logHeaders whether to log request and response headers (redacted)
	 * @param redactHeaders further header names to redact
	 * @param redactQueryParams query parameter names to redact
	 */
	public LoggingInterceptor(boolean logHeaders, Set<String> redactHeaders, Set<String> redactQueryParams) {
		this.redactor = new Redactor(redactHeaders, redactQueryParams);
		this.logHeaders = logHeaders;
	}

	@Override
	public Mono<Void> preRequest(InterceptedRequest request) {
		return Mono.fromRunnable(() -> {
			request.attributes().put(START, System.nanoTime());
			if (this.logHeaders) {
				logger.info("Making {} request to {} (attempt {}) {}", request.method(),
						this.redactor.url(request.url()), request.attempt(), this.redactor.headers(request.headers()));
			}
			else {
				logger.info("Making {} request to {} (attempt {})", request.method(), this.redactor.url(request.url()),
						request.attempt());
			}
		});
	}

	@Override
	public Mono<Void> postResponse(InterceptedResponse response) {
		return Mono.fromRunnable(() -> {
			Object start = response.request().attributes().get(START);
			long millis = (start instanceof Long nanos) ? (System.nanoTime() - nanos) / 1_000_000 : -1;
			InterceptedRequest request = response.request();
			if (this.logHeaders) {
				logger.info("Got response with status {} for {} {} in {} ms {}", response.status().value(),
						request.method(), this.redactor.url(request.url()), millis,
						this.redactor.headers(response.headers()));
			}
			else {
				logger.info("Got response with status {} for {} {} in {} ms", response.status().value(),
						request.method(), this.redactor.url(request.url()), millis);
			}
		});
	}

}
