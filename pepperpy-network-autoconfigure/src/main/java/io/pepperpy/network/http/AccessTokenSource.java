package io.pepperpy.network.http;

import reactor.core.publisher.Mono;

/**
 * Where a client gets the access token it sends as {@code Authorization: Bearer} on every attempt (set with
 * {@code oauth2.registration-id}, from Spring Security's client credentials support, or with
 * {@link HttpConfig.Builder#accessTokens}).
 * <p>
 * It exists, rather than a {@link BearerTokenInterceptor}, because the client itself must know about the token:
 * the token is applied after the interceptors and only when the request still goes to the origin the caller
 * asked for, and a 401 drops the token and sends the attempt once more with a fresh one.
 */
public interface AccessTokenSource {

	/**
	 * Return the current token, fetching one when none is cached or the cached one is about to expire. Concurrent
	 * callers should share one fetch.
	 * @return the token; an error fails the attempt with {@code NetworkException.Kind.AUTHENTICATION}
	 */
	Mono<String> token();

	/**
	 * Forget {@code token}, which the server refused (401), so that the next {@link #token()} fetches a fresh one.
	 * A token that is no longer the current one is ignored.
	 * @param token the refused token
	 * @return a {@code Mono} that completes when the token is forgotten
	 */
	Mono<Void> invalidate(String token);

}
