package io.pepperpy.network.http;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.pepperpy.network.NetworkException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpMethod;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What an interceptor that changes the URL or the method does to the client's promises: the client's
 * credentials never follow a request an interceptor moved to another origin (two servers on two ports, so two
 * origins), and the retry rules judge the method and headers that were really sent.
 */
class InterceptorOriginTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final LoopbackWireMock origin = new LoopbackWireMock();

	@RegisterExtension
	static final LoopbackWireMock other = new LoopbackWireMock();

	private final List<HttpClient> clients = new ArrayList<>();

	@BeforeEach
	void stub() {
		origin.stubFor(any(anyUrl()).willReturn(okJson("{}")));
		other.stubFor(any(anyUrl()).willReturn(okJson("{}")));
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(HttpClient::close);
	}

	private HttpClient client(HttpConfig.Builder config) {
		HttpClient client = HttpClient.builder().config(config.build()).build();
		this.clients.add(client);
		return client;
	}

	private static HttpConfig.Builder config() {
		return HttpConfig.builder()
			.baseUrl(origin.http())
			.header("Authorization", "Bearer configured-secret")
			.header("X-Api-Key", "key-secret")
			.header("X-Trace", "kept")
			.redactHeaders(Set.of("X-Api-Key"))
			.retryDelay(Duration.ofMillis(10));
	}

	private static RequestInterceptor pre(Consumer<InterceptedRequest> change) {
		return new RequestInterceptor() {

			@Override
			public Mono<Void> preRequest(InterceptedRequest request) {
				return Mono.fromRunnable(() -> change.accept(request));
			}

		};
	}

	private static RequestInterceptor moveTo(LoopbackWireMock server) {
		return pre((request) -> request.url(URI.create(server.http() + request.url().getRawPath())));
	}

	@Test
	void configuredCredentialsDoNotFollowAnInterceptorToAnotherOrigin() {
		client(config().interceptor(moveTo(other))).get("/users").header("Cookie", "session=cookie-secret")
			.retrieve()
			.block(WAIT);
		other.verify(1, getRequestedFor(urlEqualTo("/users")).withHeader("Authorization", absent())
			.withHeader("X-Api-Key", absent())
			.withHeader("Cookie", absent())
			.withHeader("X-Trace", equalTo("kept")));
		origin.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void anEarlierInterceptorsTokenDoesNotFollowALaterOneToAnotherOrigin() {
		client(config().interceptor(new BearerTokenInterceptor("interceptor-secret")).interceptor(moveTo(other)))
			.get("/users")
			.retrieve()
			.block(WAIT);
		other.verify(1, getRequestedFor(urlEqualTo("/users")).withHeader("Authorization", absent()));
	}

	@Test
	void anInterceptorMayAuthenticateAtTheOriginItMovedTo() {
		RequestInterceptor moveAndAuthenticate = pre((request) -> {
			request.url(URI.create(other.http() + "/users"));
			request.headers().setBearerAuth("token-for-other");
		});
		client(config().interceptor(moveAndAuthenticate)).get("/users").retrieve().block(WAIT);
		RequestInterceptor laterKey = pre((request) -> request.headers().set("X-Api-Key", "key-for-other"));
		client(config().interceptor(moveTo(other)).interceptor(laterKey)).get("/later").retrieve().block(WAIT);
		other.verify(1, getRequestedFor(urlEqualTo("/users")).withHeader("Authorization",
				equalTo("Bearer token-for-other")).withHeader("X-Api-Key", absent()));
		other.verify(1, getRequestedFor(urlEqualTo("/later")).withHeader("X-Api-Key", equalTo("key-for-other"))
			.withHeader("Authorization", absent()));
	}

	@Test
	void aChangeWithinTheOriginKeepsTheCredentials() {
		RequestInterceptor rewritePath = pre((request) -> request
			.url(URI.create(request.url().toString().replace("/old", "/new") + "?v=2")));
		client(config().interceptor(new BearerTokenInterceptor("interceptor-secret")).interceptor(rewritePath))
			.get("/old")
			.retrieve()
			.block(WAIT);
		origin.verify(1, getRequestedFor(urlEqualTo("/new?v=2"))
			.withHeader("Authorization", equalTo("Bearer interceptor-secret"))
			.withHeader("X-Api-Key", equalTo("key-secret")));
	}

	@Test
	void aUrlThatIsNotAbsoluteHttpIsRefusedNamingIt() {
		HttpClient client = client(config().interceptor(pre((request) -> request.url(URI.create("ftp://files.example/x")))));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> client.get("/x").retrieve().block(WAIT))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.INVALID_REQUEST);
				assertThat(ex.getMessage()).contains("ftp://files.example/x").contains("not absolute http(s)");
			});
		origin.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void aGetTurnedIntoAPostIsNotRetried() {
		origin.stubFor(any(anyUrl()).willReturn(serviceUnavailable()));
		HttpClient client = client(config().retries(2).interceptor(pre((request) -> request.method(HttpMethod.POST))));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> client.get("/orders").retrieve().block(WAIT))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("POST is not idempotent"));
		origin.verify(1, postRequestedFor(urlEqualTo("/orders")));
	}

	@Test
	void aPostTurnedIntoAPutOrGivenAnIdempotencyKeyIsRetried() {
		origin.stubFor(any(anyUrl()).willReturn(serviceUnavailable()));
		HttpClient put = client(config().retries(2).interceptor(pre((request) -> request.method(HttpMethod.PUT))));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> put.post("/orders").json(java.util.Map.of()).retrieve().block(WAIT));
		origin.verify(3, putRequestedFor(urlEqualTo("/orders")));
		HttpClient keyed = client(config().retries(2)
			.interceptor(pre((request) -> request.headers().set("Idempotency-Key", "order-1"))));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> keyed.post("/keyed").json(java.util.Map.of()).retrieve().block(WAIT));
		origin.verify(3, postRequestedFor(urlEqualTo("/keyed")));
	}

}
