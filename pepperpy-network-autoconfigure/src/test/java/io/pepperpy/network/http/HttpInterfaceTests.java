package io.pepperpy.network.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.NetworkException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.client.ApiVersionInserter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.annotation.PutExchange;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring {@code @HttpExchange} interfaces backed by {@link HttpClient#service(Class)}: every kind of argument and
 * return type Spring defines reaches the server as Spring would send it, and the calls get the client's base URL,
 * default headers, retries, meters and typed errors. What reached WireMock is asserted.
 */
class HttpInterfaceTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	private final List<HttpClient> clients = new ArrayList<>();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@HttpExchange("/api")
	interface Api {

		@GetExchange("/users/{id}")
		Map<String, Object> user(@PathVariable int id, @RequestHeader("X-Trace") String trace,
				@CookieValue("session") String session);

		@GetExchange("/users/{id}")
		Mono<ResponseEntity<Map<String, Object>>> userEntity(@PathVariable int id);

		@PostExchange(url = "/login", contentType = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
		void login(@RequestParam MultiValueMap<String, String> form);

		@PostExchange("/upload")
		void upload(@RequestPart("file") ByteArrayResource file, @RequestPart("meta") HttpEntity<Map<String, String>> meta,
				@RequestPart("stream") Flux<String> stream);

		@PutExchange("/users/{id}")
		Mono<Void> replace(@PathVariable int id, @RequestBody Mono<Map<String, String>> user);

		@PutExchange("/users/{id}")
		void replaceNow(@PathVariable int id, @RequestBody Map<String, String> user);

		@PostExchange("/events")
		Mono<Void> publish(@RequestBody Flux<String> lines);

		@GetExchange(url = "/feed", accept = "application/x-ndjson")
		Flux<Map<String, Object>> feed();

		@GetExchange(url = "/ticks", accept = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<ServerSentEvent<String>> ticks();

		@GetExchange(url = "/versioned", version = "1.2")
		Map<String, Object> versioned();

		@PostExchange("/orders")
		Map<String, Object> order(@RequestBody Map<String, Object> order);

	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(HttpClient::close);
	}

	private Api api() {
		HttpClient client = HttpClient.builder()
			.config(HttpConfig.builder()
				.name("partner")
				.baseUrl("http://127.0.0.1:" + server.port())
				.header("X-Api-Key", "k1")
				.retryDelay(Duration.ofMillis(10))
				.build())
			.meterRegistry(this.meters)
			.build();
		this.clients.add(client);
		return client.service(Api.class);
	}

	@Test
	void pathVariablesHeadersCookiesAndDefaultHeadersAreSent() {
		server.stubFor(get("/api/users/7").willReturn(okJson("{\"id\":7}")));
		assertThat(api().user(7, "t-1", "s-1")).containsEntry("id", 7);
		server.verify(getRequestedFor(urlEqualTo("/api/users/7")).withHeader("X-Trace", equalTo("t-1"))
			.withHeader("X-Api-Key", equalTo("k1"))
			.withCookie("session", equalTo("s-1")));
	}

	@Test
	void aFormIsSentFormEncoded() {
		server.stubFor(post("/api/login").willReturn(aResponse().withStatus(204)));
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("user", "ann");
		form.add("user", "bob");
		api().login(form);
		server.verify(postRequestedFor(urlEqualTo("/api/login"))
			.withHeader(HttpHeaders.CONTENT_TYPE, containing(MediaType.APPLICATION_FORM_URLENCODED_VALUE))
			.withRequestBody(equalTo("user=ann&user=bob")));
	}

	@Test
	void multipartPartsAreSentAsParts() {
		server.stubFor(post("/api/upload").willReturn(aResponse().withStatus(204)));
		ByteArrayResource file = new ByteArrayResource("hello".getBytes(StandardCharsets.UTF_8)) {

			@Override
			public String getFilename() {
				return "hello.txt";
			}

		};
		api().upload(file, new HttpEntity<>(Map.of("kind", "greeting")), Flux.just("a", "b"));
		server.verify(postRequestedFor(urlEqualTo("/api/upload"))
			.withHeader(HttpHeaders.CONTENT_TYPE, containing("multipart/form-data"))
			.withRequestBodyPart(aMultipart("file").withBody(equalTo("hello")).build())
			.withRequestBodyPart(aMultipart("meta").withBody(equalToJson("{\"kind\":\"greeting\"}")).build())
			.withRequestBodyPart(aMultipart("stream").withBody(equalTo("ab")).build()));
	}

	@Test
	void anIdempotentPutIsRetried() {
		server.stubFor(put("/api/users/3").inScenario("flaky")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("up"));
		server.stubFor(put("/api/users/3").inScenario("flaky").whenScenarioStateIs("up")
			.willReturn(aResponse().withStatus(204)));
		api().replaceNow(3, Map.of("name", "Ann"));
		server.verify(2, putRequestedFor(urlEqualTo("/api/users/3")).withRequestBody(equalToJson("{\"name\":\"Ann\"}")));
	}

	@Test
	void aMonoBodyIsSentButAsAPublisherNeverSentTwice() {
		server.stubFor(put("/api/users/3").willReturn(aResponse().withStatus(503)));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> api().replace(3, Mono.just(Map.of("name", "Ann"))).block(WAIT))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("one-shot"));
		server.verify(1, putRequestedFor(urlEqualTo("/api/users/3")).withRequestBody(equalToJson("{\"name\":\"Ann\"}")));
	}

	@Test
	void aFluxBodyIsStreamedAndNeverSentTwice() {
		server.stubFor(post("/api/events").willReturn(aResponse().withStatus(503)));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> api().publish(Flux.just("one", "two")).block(WAIT))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(503));
		server.verify(1, postRequestedFor(urlEqualTo("/api/events")).withRequestBody(equalTo("onetwo")));
	}

	@Test
	void ndjsonIsReadAsAStream() {
		server.stubFor(get("/api/feed").willReturn(aResponse().withHeader(HttpHeaders.CONTENT_TYPE, "application/x-ndjson")
			.withBody("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n")));
		List<Map<String, Object>> items = api().feed().collectList().block(WAIT);
		assertThat(items).extracting((item) -> item.get("n")).containsExactly(1, 2, 3);
	}

	@Test
	void serverSentEventsAreReadAsAStream() {
		server.stubFor(get("/api/ticks").willReturn(aResponse()
			.withHeader(HttpHeaders.CONTENT_TYPE, MediaType.TEXT_EVENT_STREAM_VALUE)
			.withBody("id:1\ndata:a\n\nid:2\ndata:b\n\n")));
		List<ServerSentEvent<String>> events = api().ticks().collectList().block(WAIT);
		assertThat(events).extracting(ServerSentEvent::data).containsExactly("a", "b");
	}

	@Test
	void anEntityKeepsStatusAndHeaders() {
		server.stubFor(get("/api/users/1").willReturn(okJson("{\"id\":1}").withHeader("X-Version", "v1")));
		ResponseEntity<Map<String, Object>> entity = api().userEntity(1).block(WAIT);
		assertThat(entity.getStatusCode().value()).isEqualTo(200);
		assertThat(entity.getHeaders().getFirst("X-Version")).isEqualTo("v1");
		assertThat(entity.getBody()).containsEntry("id", 1);
	}

	@Test
	void anErrorStatusIsATypedExceptionWithItsBodyAndAPostIsNotRetried() {
		server.stubFor(post("/api/orders").willReturn(aResponse().withStatus(503)
			.withHeader(HttpHeaders.CONTENT_TYPE, "text/html")
			.withBody("<h1>down</h1>")));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> api().order(Map.of("id", 1)))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.STATUS);
				assertThat(ex.status()).isEqualTo(503);
				assertThat(ex.bodySnippet()).contains("down");
				assertThat(ex.method()).isEqualTo("POST");
			});
		server.verify(1, postRequestedFor(urlEqualTo("/api/orders")));
	}

	@Test
	void callsAreMeteredUnderTheClientsName() {
		server.stubFor(get("/api/users/5").willReturn(aResponse().withStatus(503)));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> api().user(5, "t", "s"));
		server.verify(4, getRequestedFor(urlEqualTo("/api/users/5")));
		assertThat(this.meters.get("pepperpy.http.client.calls")
			.tag("client", "partner")
			.tag("uri", "/api/users/{id}")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.meters.get("pepperpy.http.client.retries").tag("client", "partner").counter().count())
			.isEqualTo(3.0);
	}

	@Test
	void anApiVersionIsSentAsTheClientsWebClientInsertsIt() {
		server.stubFor(get("/api/versioned").withHeader("API-Version", equalTo("1.2")).willReturn(okJson("{\"v\":1}")));
		HttpClient client = HttpClient.builder()
			.config(HttpConfig.builder().baseUrl("http://127.0.0.1:" + server.port()).build())
			.webClientBuilder(WebClient.builder().apiVersionInserter(ApiVersionInserter.useHeader("API-Version")))
			.build();
		this.clients.add(client);
		assertThat(client.service(Api.class).versioned()).containsEntry("v", 1);
	}

}
