package io.pepperpy.network.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.pepperpy.network.NetworkException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.invoker.AbstractReactorHttpExchangeAdapter;
import org.springframework.web.service.invoker.HttpRequestValues;
import org.springframework.web.service.invoker.ReactiveHttpRequestValues;

/**
 * Backs Spring's {@code @HttpExchange} interfaces with an {@link HttpClient}. The exchanges themselves are Spring's
 * own {@link WebClientAdapter}'s, on the client's WebClient whose {@link ServiceExchangeFilter} runs the client's
 * pipeline, so every argument and return type Spring defines works as Spring defines it; this adapter adds what
 * the client promises on top: a body given as a {@code Publisher} is marked one-shot (never sent twice), and
 * whatever the exchange fails with, while sending or while Spring reads the response, is a
 * {@link NetworkException} naming the method and URL (a non-2xx status as kind {@code STATUS}, with its headers
 * and the start of its body).
 * <p>
 * It has no block timeout of its own: a blocking return type waits as long as the call's own timeouts allow.
 */
final class ServiceExchangeAdapter extends AbstractReactorHttpExchangeAdapter {

	private final WebClientAdapter delegate;

	private final Redactor redactor;

	ServiceExchangeAdapter(WebClientAdapter delegate, Redactor redactor) {
		this.delegate = delegate;
		this.redactor = redactor;
		setBlockTimeout(null);
	}

	@Override
	public boolean supportsRequestAttributes() {
		return this.delegate.supportsRequestAttributes();
	}

	@Override
	public Mono<Void> exchangeForMono(HttpRequestValues values) {
		return typed(this.delegate.exchangeForMono(values), values);
	}

	@Override
	public Mono<HttpHeaders> exchangeForHeadersMono(HttpRequestValues values) {
		return typed(this.delegate.exchangeForHeadersMono(values), values);
	}

	@Override
	public <T> Mono<T> exchangeForBodyMono(HttpRequestValues values, ParameterizedTypeReference<T> bodyType) {
		return typed(this.delegate.exchangeForBodyMono(values, bodyType), values);
	}

	@Override
	public <T> Flux<T> exchangeForBodyFlux(HttpRequestValues values, ParameterizedTypeReference<T> bodyType) {
		return this.delegate.exchangeForBodyFlux(values, bodyType)
			.onErrorMap((ex) -> translate(ex, values))
			.contextWrite((context) -> context.put(ServiceExchangeFilter.ONE_SHOT_BODY, oneShot(values)));
	}

	@Override
	public Mono<ResponseEntity<Void>> exchangeForBodilessEntityMono(HttpRequestValues values) {
		return typed(this.delegate.exchangeForBodilessEntityMono(values), values);
	}

	@Override
	public <T> Mono<ResponseEntity<T>> exchangeForEntityMono(HttpRequestValues values,
			ParameterizedTypeReference<T> bodyType) {
		return typed(this.delegate.exchangeForEntityMono(values, bodyType), values);
	}

	@Override
	public <T> Mono<ResponseEntity<Flux<T>>> exchangeForEntityFlux(HttpRequestValues values,
			ParameterizedTypeReference<T> bodyType) {
		return typed(this.delegate.exchangeForEntityFlux(values, bodyType), values)
			.map((entity) -> (entity.getBody() != null)
					? new ResponseEntity<>(entity.getBody().onErrorMap((ex) -> translate(ex, values)),
							entity.getHeaders(), entity.getStatusCode())
					: entity);
	}

	private <T> Mono<T> typed(Mono<T> exchange, HttpRequestValues values) {
		return exchange.onErrorMap((ex) -> translate(ex, values))
			.contextWrite((context) -> context.put(ServiceExchangeFilter.ONE_SHOT_BODY, oneShot(values)));
	}

	private static boolean oneShot(HttpRequestValues values) {
		return values instanceof ReactiveHttpRequestValues reactive && reactive.getBodyPublisher() != null;
	}

	private Throwable translate(Throwable ex, HttpRequestValues values) {
		if (ex instanceof NetworkException) {
			return ex;
		}
		String method = values.getHttpMethod().name();
		String url = (values.getUri() != null) ? this.redactor.url(values.getUri())
				: this.redactor.template(String.valueOf(values.getUriTemplate()));
		if (ex instanceof WebClientResponseException response) {
			byte[] body = response.getResponseBodyAsByteArray();
			MediaType contentType = response.getHeaders().getContentType();
			Charset charset = (contentType != null && contentType.getCharset() != null) ? contentType.getCharset()
					: StandardCharsets.UTF_8;
			String snippet = new String(body, 0, Math.min(body.length, NetworkException.MAX_SNIPPET_LENGTH * 4),
					charset);
			return NetworkException.status(method, url, response.getStatusCode().value(),
					FollowUpDecider.reason(response.getStatusCode()), response.getHeaders(), snippet);
		}
		if (ex instanceof org.springframework.core.codec.CodecException codec) {
			return NetworkException.of(NetworkException.Kind.DECODING,
					"Response of " + method + " " + url + " could not be decoded: " + codec.getMessage(), method, url,
					codec);
		}
		return ErrorTranslator.translate(ex, method, url, Duration.ZERO);
	}

}
