package io.pepperpy.network.http;

import io.pepperpy.network.NetworkException;
import reactor.core.publisher.Mono;

/**
 * Hooks around every attempt of an {@link HttpClient} call (the PepperPy Network module's {@code pre_request} /
 * {@code post_response}).
 * <p>
 * Both hooks are optional and asynchronous. They run <em>once per attempt</em>: a call that is retried twice runs
 * {@link #preRequest} three times, so an authentication interceptor can refresh its token before a retry.
 * Interceptors run in {@code @Order} (or list) order on the way out and in reverse order on the way back. A hook
 * that throws or returns an error fails the call with a {@link NetworkException} of kind
 * {@link NetworkException.Kind#INTERCEPTOR} that names the interceptor; such failures are not retried. Hooks run
 * inside the caller's Reactor {@code Context}, so {@code Mono.deferContextual} sees what the caller put there.
 */
public interface RequestInterceptor {

	/**
	 * Called before each attempt is sent; may change the method, URL and headers of the request and add
	 * attributes.
	 * @param request the outgoing request, mutable
	 * @return a {@code Mono} that completes when the request may be sent
	 */
	default Mono<Void> preRequest(InterceptedRequest request) {
		return Mono.empty();
	}

	/**
	 * Called when each attempt receives a response, whatever its status, before the body is read.
	 * @param response the response status and headers, with the request that produced it
	 * @return a {@code Mono} that completes when the response may be processed
	 */
	default Mono<Void> postResponse(InterceptedResponse response) {
		return Mono.empty();
	}

}
