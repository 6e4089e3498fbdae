package io.pepperpy.network.http;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * The client's pipeline as a WebClient filter, for exchanges that Spring builds: the HTTP interface proxies of
 * {@link HttpClient#service(Class)} and of HTTP service groups, made by Spring's own {@code WebClientAdapter}, so
 * every argument and return type Spring supports (forms, multipart, reactive bodies, streams, API versions) is
 * encoded and decoded by Spring, while the call goes through the same stages as the client's own requests: the
 * call stage, the rate limiter, attempts with interceptors and redirects, and the {@link FollowUpDecider}. The
 * response it delivers, error statuses included, is read by Spring's adapter; {@link ServiceExchangeAdapter}
 * turns what that raises into {@link io.pepperpy.network.NetworkException}s.
 */
final class ServiceExchangeFilter implements ExchangeFilterFunction {

	/**
	 * The Reactor context key under which {@link ServiceExchangeAdapter} marks an exchange whose body is a
	 * {@code Publisher}: it may be read once only, so the exchange is never sent again once it may have reached the
	 * server.
	 */
	static final String ONE_SHOT_BODY = ServiceExchangeFilter.class.getName() + ".oneShotBody";

	private final DefaultHttpClient client;

	ServiceExchangeFilter(DefaultHttpClient client) {
		this.client = client;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return Mono.deferContextual((context) -> this.client.exchange(request, next,
				context.getOrDefault(ONE_SHOT_BODY, Boolean.FALSE)));
	}

}
