package io.pepperpy.network.http;

import java.util.List;
import java.util.Map;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.service.invoker.AbstractReactorHttpExchangeAdapter;
import org.springframework.web.service.invoker.HttpRequestValues;

/**
 * Backs Spring's {@code @HttpExchange} interfaces with an {@link HttpClient}, so their methods get the client's
 * base URL, default headers, retries, rate limit, interceptors, metrics and typed errors. Obtain a proxy with
 * {@link HttpClient#service(Class)}.
 */
final class HttpClientExchangeAdapter extends AbstractReactorHttpExchangeAdapter {

	private final HttpClient client;

	HttpClientExchangeAdapter(HttpClient client) {
		this.client = client;
		setBlockTimeout(null);
	}

	@Override
	public boolean supportsRequestAttributes() {
		return false;
	}

	@Override
	public Mono<Void> exchangeForMono(HttpRequestValues values) {
		return spec(values).retrieve().then();
	}

	@Override
	public Mono<HttpHeaders> exchangeForHeadersMono(HttpRequestValues values) {
		return spec(values).exchange().map(HttpResponse::headers);
	}

	@Override
	public <T> Mono<T> exchangeForBodyMono(HttpRequestValues values, ParameterizedTypeReference<T> bodyType) {
		return retrieve(spec(values), bodyType);
	}

	@Override
	public <T> Flux<T> exchangeForBodyFlux(HttpRequestValues values, ParameterizedTypeReference<T> bodyType) {
		return retrieve(spec(values), listOf(bodyType)).flatMapIterable((list) -> list);
	}

	@Override
	public Mono<ResponseEntity<Void>> exchangeForBodilessEntityMono(HttpRequestValues values) {
		return spec(values).exchange()
			.map((response) -> ResponseEntity.status(response.status()).headers(response.headers()).build());
	}

	@Override
	public <T> Mono<ResponseEntity<T>> exchangeForEntityMono(HttpRequestValues values,
			ParameterizedTypeReference<T> bodyType) {
		return spec(values).exchange(bodyType)
			.map((response) -> ResponseEntity.status(response.status())
				.headers(response.headers())
				.body(response.body()));
	}

	@Override
	public <T> Mono<ResponseEntity<Flux<T>>> exchangeForEntityFlux(HttpRequestValues values,
			ParameterizedTypeReference<T> bodyType) {
		return spec(values).exchange(listOf(bodyType))
			.map((response) -> ResponseEntity.status(response.status())
				.headers(response.headers())
				.body(Flux.fromIterable((response.body() != null) ? response.body() : List.of())));
	}

	@SuppressWarnings("unchecked")
	private static <T> Mono<T> retrieve(HttpClient.RequestSpec spec, ParameterizedTypeReference<T> bodyType) {
		if (bodyType.getType() instanceof Class<?> type) {
			return spec.retrieve((Class<T>) type);
		}
		return spec.retrieve(bodyType);
	}

	private static <T> ParameterizedTypeReference<List<T>> listOf(ParameterizedTypeReference<T> elementType) {
		return ParameterizedTypeReference
			.forType(ResolvableType.forClassWithGenerics(List.class, ResolvableType.forType(elementType)).getType());
	}

	private HttpClient.RequestSpec spec(HttpRequestValues values) {
		HttpClient.RequestSpec spec;
		if (values.getUri() != null) {
			spec = this.client.method(values.getHttpMethod(), values.getUri().toString());
		}
		else {
			Map<String, String> variables = values.getUriVariables();
			spec = this.client.method(values.getHttpMethod(), values.getUriTemplate(), variables);
		}
		HttpHeaders headers = values.getHeaders();
		headers.forEach((name, headerValues) -> spec.header(name, String.join(",", headerValues)));
		if (!values.getCookies().isEmpty()) {
			StringBuilder cookie = new StringBuilder();
			values.getCookies().forEach((name, cookieValues) -> cookieValues.forEach((value) -> {
				if (cookie.length() > 0) {
					cookie.append("; ");
				}
				cookie.append(name).append('=').append(value);
			}));
			spec.header(HttpHeaders.COOKIE, cookie.toString());
		}
		Object body = values.getBodyValue();
		if (body != null) {
			MediaType contentType = headers.getContentType();
			if (body instanceof byte[] bytes) {
				spec.body(bytes, (contentType != null) ? contentType : MediaType.APPLICATION_OCTET_STREAM);
			}
			else if (body instanceof String text && contentType != null
					&& !MediaType.APPLICATION_JSON.isCompatibleWith(contentType)) {
				spec.body(text, contentType);
			}
			else {
				spec.json(body);
			}
		}
		return spec;
	}

}
