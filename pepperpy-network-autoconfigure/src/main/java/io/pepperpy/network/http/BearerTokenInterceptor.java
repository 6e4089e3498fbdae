package io.pepperpy.network.http;

import java.util.Objects;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * The PepperPy Network module's {@code AuthInterceptor}: sets {@code Authorization: Bearer <token>} on every attempt.
 * <p>
 * The token is either fixed or comes from a supplier that is asked again before every attempt, so a supplier
 * that caches and refreshes its token (for example when it expires) gives a retry a fresh token. The supplier
 * returns a {@code Mono}, so it may fetch the token without blocking.
 */
public class BearerTokenInterceptor implements RequestInterceptor {

	private final Supplier<Mono<String>> token;

	/**
	 * Create an interceptor with a fixed token.
	 * @param token the token
	 */
	public BearerTokenInterceptor(String token) {
		Objects.requireNonNull(token, "token must not be null");
		Mono<String> fixed = Mono.just(token);
		this.token = () -> fixed;
	}

	/**
	 * Create an interceptor that asks the supplier for a token before every attempt.
	 * @param token the token supplier
	 */
	public BearerTokenInterceptor(Supplier<Mono<String>> token) {
		this.token = Objects.requireNonNull(token, "token must not be null");
	}

	@Override
	public Mono<Void> preRequest(InterceptedRequest request) {
		return Mono.defer(this.token)
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("the token supplier returned no token")))
			.doOnNext((value) -> request.headers().setBearerAuth(value))
			.then();
	}

}
