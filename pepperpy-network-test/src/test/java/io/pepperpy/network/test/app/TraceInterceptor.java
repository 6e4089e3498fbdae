package io.pepperpy.network.test.app;

import io.pepperpy.network.http.InterceptedRequest;
import io.pepperpy.network.http.RequestInterceptor;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;

/**
 * Adds {@code X-Trace} to every request of every client: an {@code @HttpClientTest} keeps it.
 */
@Component
public class TraceInterceptor implements RequestInterceptor {

	@Override
	public Mono<Void> preRequest(InterceptedRequest request) {
		return Mono.fromRunnable(() -> request.headers().set("X-Trace", "test"));
	}

}
