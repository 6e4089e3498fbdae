package io.pepperpy.network.http;

import java.util.function.Supplier;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.service.invoker.AbstractReactorHttpExchangeAdapter;
import org.springframework.web.service.invoker.HttpExchangeAdapter;
import org.springframework.web.service.invoker.HttpRequestValues;
import org.springframework.web.service.invoker.ReactorHttpExchangeAdapter;

/**
 * The exchange adapter of a {@link LazyHttpClient}: HTTP interface proxies are made at start-up (service groups),
 * but the client they send through is only built by their first call, so an application that never calls them
 * opens no pool and starts no thread.
 */
final class LazyExchangeAdapter extends AbstractReactorHttpExchangeAdapter {

	private final Supplier<HttpClient> client;

	LazyExchangeAdapter(Supplier<HttpClient> client) {
		this.client = client;
		setBlockTimeout(null);
	}

	private ReactorHttpExchangeAdapter delegate() {
		HttpExchangeAdapter adapter = this.client.get().exchangeAdapter();
		return (ReactorHttpExchangeAdapter) adapter;
	}

	@Override
	public boolean supportsRequestAttributes() {
		return true;
	}

	@Override
	public Mono<Void> exchangeForMono(HttpRequestValues values) {
		return Mono.defer(() -> delegate().exchangeForMono(values));
	}

	@Override
	public Mono<HttpHeaders> exchangeForHeadersMono(HttpRequestValues values) {
		return Mono.defer(() -> delegate().exchangeForHeadersMono(values));
	}

	@Override
	public <T> Mono<T> exchangeForBodyMono(HttpRequestValues values, ParameterizedTypeReference<T> bodyType) {
		return Mono.defer(() -> delegate().exchangeForBodyMono(values, bodyType));
	}

	@Override
	public <T> Flux<T> exchangeForBodyFlux(HttpRequestValues values, ParameterizedTypeReference<T> bodyType) {
		return Flux.defer(() -> delegate().exchangeForBodyFlux(values, bodyType));
	}

	@Override
	public Mono<ResponseEntity<Void>> exchangeForBodilessEntityMono(HttpRequestValues values) {
		return Mono.defer(() -> delegate().exchangeForBodilessEntityMono(values));
	}

	@Override
	public <T> Mono<ResponseEntity<T>> exchangeForEntityMono(HttpRequestValues values,
			ParameterizedTypeReference<T> bodyType) {
		return Mono.defer(() -> delegate().exchangeForEntityMono(values, bodyType));
	}

	@Override
	public <T> Mono<ResponseEntity<Flux<T>>> exchangeForEntityFlux(HttpRequestValues values,
			ParameterizedTypeReference<T> bodyType) {
		return Mono.defer(() -> delegate().exchangeForEntityFlux(values, bodyType));
	}

}
