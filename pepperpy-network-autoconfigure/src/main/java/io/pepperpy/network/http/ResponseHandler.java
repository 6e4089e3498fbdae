package io.pepperpy.network.http;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * What the caller asked to get from the response it will be handed (a decoded body, the whole response, a
 * stream); the last stage of the pipeline, run only on the response the {@link FollowUpDecider} delivers.
 *
 * @param <R> the result type
 */
@FunctionalInterface
interface ResponseHandler<R> {

	Mono<R> handle(Call call, ClientResponse response);

}
