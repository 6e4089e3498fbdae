package io.pepperpy.network.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.pepperpy.network.InvalidSettingException;
import io.pepperpy.network.NetworkException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Behaviour of the standalone {@link HttpClient} against a real WireMock server.
 */
class HttpClientTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final LoopbackWireMock server = LoopbackWireMock.withHttps();

	private final List<HttpClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(HttpClient::close);
	}

	private static String baseUrl() {
		return "http://127.0.0.1:" + server.port();
	}

	private HttpClient client(HttpConfig.Builder config) {
		HttpClient client = HttpClient.create(config.build());
		this.clients.add(client);
		return client;
	}

	private HttpConfig.Builder config() {
		return HttpConfig.builder().baseUrl(baseUrl()).retryDelay(Duration.ofMillis(10));
	}

	private static <T> T await(Mono<T> mono) {
		return mono.block(WAIT);
	}

	@Test
	void defaultHeadersAreSentAndPerRequestHeadersAddAndOverride() {
		server.stubFor(get("/h").willReturn(okJson("{}")));
		HttpClient client = client(config().header("Authorization", "Bearer default").header("User-Agent", "pp/1"));
		await(client.get("/h").header("authorization", "Bearer new").headers(Map.of("X-Custom", "v")).retrieve());
		server.verify(getRequestedFor(urlEqualTo("/h")).withHeader("Authorization", equalTo("Bearer new"))
			.withHeader("User-Agent", equalTo("pp/1"))
			.withHeader("X-Custom", equalTo("v")));
		server.resetRequests();
		await(client.get("/h").retrieve());
		server.verify(getRequestedFor(urlEqualTo("/h")).withHeader("Authorization", equalTo("Bearer default"))
			.withHeader("X-Custom", absent()));
	}

	@Test
	void jsonIsDecodedIntoMapsListsAndScalars() {
		server.stubFor(get("/users").willReturn(okJson("[{\"id\":1,\"name\":\"Ann\",\"admin\":true}]")));
		server.stubFor(get("/count").willReturn(okJson("42")));
		HttpClient client = client(config());
		Object users = await(client.get("/users").retrieve());
		assertThat(users).isEqualTo(List.of(Map.of("id", 1, "name", "Ann", "admin", true)));
		assertThat(await(client.get("/count").retrieve())).isEqualTo(42);
		List<User> typed = await(client.get("/users").retrieve(new ParameterizedTypeReference<List<User>>() {
		}));
		assertThat(typed).containsExactly(new User(1, "Ann"));
		assertThat(await(client.get("/users").retrieve(User[].class))).containsExactly(new User(1, "Ann"));
	}

	@Test
	void textAndBytesFromConfigAndPerRequest() {
		server.stubFor(get("/status")
			.willReturn(aResponse().withHeader("Content-Type", "text/plain; charset=ISO-8859-1")
				.withBody("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1))));
		HttpClient textClient = client(config().responseFormat(ResponseFormat.TEXT));
		assertThat(await(textClient.get("/status").retrieve())).isEqualTo("caf\u00e9");
		assertThat(await(textClient.get("/status").responseFormat(ResponseFormat.BYTES).retrieve()))
			.isEqualTo("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
		HttpClient jsonClient = client(config());
		assertThat(await(jsonClient.get("/status").responseFormat(ResponseFormat.TEXT).retrieve()))
			.isEqualTo("caf\u00e9");
		assertThat(await(jsonClient.get("/status").retrieve(String.class))).isEqualTo("caf\u00e9");
	}

	@Test
	void invalidJsonFailsWithDecodingErrorShowingStartOfBody() {
		server.stubFor(get("/broken").willReturn(okJson("<html>oops</html>")));
		HttpClient client = client(config());
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> await(client.get("/broken").retrieve()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.DECODING);
				assertThat(ex.getMessage()).contains("not valid JSON").contains("<html>oops</html>").contains("/broken");
				assertThat(ex.getCause()).isNotNull();
			});
		server.verify(1, getRequestedFor(urlEqualTo("/broken")));
	}

	@Test
	void emptyBodyCompletesEmpty() {
		server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
		HttpClient client = client(config());
		assertThat(client.delete("/items/{id}", 1).retrieve().blockOptional(WAIT)).isEmpty();
		HttpResponse<Object> response = await(client.head("/items").exchange());
		assertThat(response.statusCode()).isEqualTo(204);
		assertThat(response.body()).isNull();
	}

	@Test
	void errorStatusRaisesNetworkExceptionWithStatusHeadersAndBody() {
		server.stubFor(get("/not-found").willReturn(
				aResponse().withStatus(404).withHeader("X-Trace", "abc").withBody("{\"error\":\"no such user\"}")));
		HttpClient client = client(config());
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> await(client.get("/not-found").retrieve()))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).isEqualTo("Request failed with status 404: Not Found");
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.STATUS);
				assertThat(ex.status()).isEqualTo(404);
				assertThat(ex.reason()).isEqualTo("Not Found");
				assertThat(ex.responseHeaders().getFirst("X-Trace")).isEqualTo("abc");
				assertThat(ex.bodySnippet()).isEqualTo("{\"error\":\"no such user\"}");
				assertThat(ex.method()).isEqualTo("GET");
				assertThat(ex.url()).isEqualTo(baseUrl() + "/not-found");
			});
		server.verify(1, getRequestedFor(urlEqualTo("/not-found")));
	}

	@Test
	void errorBodySnippetIsBounded() {
		server.stubFor(get("/big-error").willReturn(aResponse().withStatus(500).withBody("x".repeat(100_000))));
		HttpClient client = client(config().retries(0));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> await(client.get("/big-error").retrieve()))
			.satisfies((ex) -> assertThat(ex.bodySnippet()).hasSize(NetworkException.MAX_SNIPPET_LENGTH));
	}

	@Test
	void raiseForStatusOffReturnsErrorResponsesFromExchange() {
		server.stubFor(get("/not-found").willReturn(aResponse().withStatus(404).withBody("{\"error\":\"gone\"}")));
		HttpClient client = client(config().raiseForStatus(false));
		HttpResponse<Object> response = await(client.get("/not-found").exchange());
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.isSuccess()).isFalse();
		assertThat(response.body()).isEqualTo(Map.of("error", "gone"));
		HttpClient raising = client(config());
		HttpResponse<Map> overridden = await(raising.get("/not-found").raiseForStatus(false).exchange(Map.class));
		assertThat(overridden.body()).containsEntry("error", "gone");
	}

	@Test
	void retriesFromConfigRecoverAfterTwoFailuresSpacedByTheDelay() {
		stubFlaky("/flaky", 2);
		HttpClient client = client(config().retries(3).retryDelay(Duration.ofMillis(300)));
		long start = System.nanoTime();
		assertThat(await(client.get("/flaky").retrieve())).isEqualTo(Map.of("ok", true));
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		server.verify(3, getRequestedFor(urlEqualTo("/flaky")));
		assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(600));
		List<com.github.tomakehurst.wiremock.verification.LoggedRequest> requests = server
			.findAll(getRequestedFor(urlEqualTo("/flaky")));
		for (int i = 1; i < requests.size(); i++) {
			long gap = requests.get(i).getLoggedDate().getTime() - requests.get(i - 1).getLoggedDate().getTime();
			assertThat(gap).as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(290);
		}
	}

	@Test
	void retriesPerRequestOverrideConfig() {
		stubFlaky("/flaky", 2);
		HttpClient client = client(config().retries(0));
		assertThat(await(client.get("/flaky").retries(2).retryDelay(Duration.ofMillis(20)).retrieve()))
			.isEqualTo(Map.of("ok", true));
		server.verify(3, getRequestedFor(urlEqualTo("/flaky")));
	}

	@Test
	void retriesExhaustedRaiseTheLastStatus() {
		server.stubFor(get("/down").willReturn(aResponse().withStatus(503)));
		HttpClient client = client(config().retries(2));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> await(client.get("/down").retrieve()))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(503));
		server.verify(3, getRequestedFor(urlEqualTo("/down")));
	}

	@Test
	void clientErrorsAreNotRetried() {
		server.stubFor(get("/bad").willReturn(aResponse().withStatus(400)));
		HttpClient client = client(config().retries(3));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> await(client.get("/bad").retrieve()));
		server.verify(1, getRequestedFor(urlEqualTo("/bad")));
	}

	@Test
	void postIsNotRetriedUnlessTheCallerOptsIn() {
		server.stubFor(post("/orders").willReturn(aResponse().withStatus(503)));
		HttpClient client = client(config().retries(3));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> await(client.post("/orders").json(Map.of("item", 1)).retrieve()));
		server.verify(1, postRequestedFor(urlEqualTo("/orders")));
		server.resetRequests();
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> await(client.post("/orders").json(Map.of("item", 1)).retries(2).retrieve()));
		server.verify(3, postRequestedFor(urlEqualTo("/orders")));
	}

	@Test
	void rateLimitThrottlesWithoutBlockingAThread() {
		server.stubFor(get("/limited").willReturn(okJson("{}")));
		HttpClient client = client(config().maxRateLimit(10));
		int requests = 20;
		long start = System.nanoTime();
		// All calls are subscribed from one thread at once: a blocking limiter would serialise the subscriptions.
		Flux.range(0, requests)
			.flatMap((i) -> client.get("/limited").retrieve(), requests)
			.subscribeOn(Schedulers.single())
			.blockLast(WAIT);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
		// 20 requests at 10 per second: the first is immediate, the last waits 19 intervals of 100 ms.
		assertThat(elapsed).isBetween(Duration.ofMillis(1700), Duration.ofMillis(6000));
		server.verify(requests, getRequestedFor(urlEqualTo("/limited")));
	}

	@Test
	void timeoutBoundsTheWholeAttemptIncludingADribbledBody() {
		server.stubFor(get("/dribble").willReturn(
				aResponse().withBody("x".repeat(1000)).withChunkedDribbleDelay(20, 5000)));
		HttpClient client = client(config().retries(0).timeout(Duration.ofMillis(700)));
		long start = System.nanoTime();
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> await(client.get("/dribble").responseFormat(ResponseFormat.TEXT).retrieve()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TIMEOUT);
				assertThat(ex.getMessage()).contains("GET").contains("/dribble").contains("700 ms");
				assertThat(ex.getCause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
			});
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
	}

	@Test
	void perRequestTimeoutOverridesConfig() {
		server.stubFor(get("/slow").willReturn(okJson("{}").withFixedDelay(2000)));
		HttpClient client = client(config().retries(0));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> await(client.get("/slow").timeout(Duration.ofMillis(300)).retrieve()))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TIMEOUT));
	}

	@Test
	void connectionRefusedIsATypedConnectError() throws Exception {
		int port;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		HttpClient client = client(HttpConfig.builder().baseUrl("http://127.0.0.1:" + port).retries(1)
			.retryDelay(Duration.ofMillis(10)));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> await(client.get("/x").retrieve()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.CONNECT);
				assertThat(ex.getMessage()).contains("GET http://127.0.0.1:" + port + "/x");
				assertThat(ex.getCause()).isInstanceOf(java.net.ConnectException.class);
			});
	}

	@Test
	void emptyResponseFromServerIsAProtocolError() {
		server.stubFor(get("/empty").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
		HttpClient client = client(config().retries(1));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> await(client.get("/empty").retrieve()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isIn(NetworkException.Kind.PROTOCOL, NetworkException.Kind.IO);
				assertThat(ex.getCause()).isNotNull();
			});
		server.verify(2, getRequestedFor(urlEqualTo("/empty")));
	}

	@Test
	void verifySslFalseTalksToASelfSignedServer() {
		server.stubFor(get("/secure").willReturn(okJson("{\"tls\":true}")));
		HttpClient client = client(
				HttpConfig.builder().baseUrl("https://localhost:" + server.httpsPort()).verifySsl(false));
		assertThat(await(client.get("/secure").retrieve())).isEqualTo(Map.of("tls", true));
	}

	@Test
	void verifySslTrueRejectsASelfSignedServer() {
		server.stubFor(get("/secure").willReturn(okJson("{}")));
		HttpClient client = client(HttpConfig.builder().baseUrl("https://localhost:" + server.httpsPort()).retries(3));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> await(client.get("/secure").retrieve()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.TLS);
				assertThat(ex.getCause()).isInstanceOf(javax.net.ssl.SSLException.class);
			});
		server.verify(0, getRequestedFor(urlEqualTo("/secure")));
	}

	@Test
	void proxyFromConfigAndPerRequestCarriesTheRequest() throws Exception {
		server.stubFor(get("/via-proxy").willReturn(okJson("{\"proxied\":true}")));
		try (TunnelProxy proxy = new TunnelProxy()) {
			HttpClient configured = client(config().proxy("http://user:secret@127.0.0.1:" + proxy.port()));
			assertThat(await(configured.get("/via-proxy").retrieve())).isEqualTo(Map.of("proxied", true));
			assertThat(proxy.connects()).hasSize(1);
			assertThat(proxy.connects().get(0).requestLine()).isEqualTo("CONNECT 127.0.0.1:" + server.port() + " HTTP/1.1");
			assertThat(proxy.connects().get(0).proxyAuthorization())
				.isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("user:secret".getBytes()));

			HttpClient direct = client(config());
			assertThat(await(direct.get("/via-proxy").proxy("http://127.0.0.1:" + proxy.port()).retrieve()))
				.isEqualTo(Map.of("proxied", true));
			assertThat(proxy.connects()).hasSize(2);
			await(direct.get("/via-proxy").retrieve());
			assertThat(proxy.connects()).hasSize(2);
		}
		server.verify(3, getRequestedFor(urlEqualTo("/via-proxy")));
	}

	@Test
	void multipartUploadArrivesIntact(@TempDir Path dir) throws Exception {
		byte[] image = new byte[5000];
		new java.util.Random(7).nextBytes(image);
		Path file = Files.write(dir.resolve("image.jpg"), image);
		server.stubFor(post("/upload").willReturn(okJson("{\"stored\":true}")));
		HttpClient client = client(config());
		Object result = await(client.post("/upload")
			.multipart((parts) -> parts.file("file", file)
				.field("description", "Profile picture")
				.file("notes", "hello".getBytes(), "notes.txt", MediaType.TEXT_PLAIN))
			.retrieve());
		assertThat(result).isEqualTo(Map.of("stored", true));
		server.verify(postRequestedFor(urlEqualTo("/upload"))
			.withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("multipart/form-data"))
			.withRequestBodyPart(aMultipart().withName("file")
				.withHeader("Content-Disposition", com.github.tomakehurst.wiremock.client.WireMock.containing("filename=\"image.jpg\""))
				.withBody(binaryEqualTo(image))
				.build())
			.withRequestBodyPart(aMultipart().withName("description").withBody(equalTo("Profile picture")).build())
			.withRequestBodyPart(aMultipart().withName("notes").withBody(equalTo("hello")).build()));
	}

	@Test
	void jsonFormAndRawBodies() {
		server.stubFor(any(anyUrl()).willReturn(okJson("{}")));
		HttpClient client = client(config());
		await(client.post("/json").json(Map.of("name", "John Doe")).retrieve());
		server.verify(postRequestedFor(urlEqualTo("/json")).withHeader("Content-Type", equalTo("application/json"))
			.withRequestBody(equalToJson("{\"name\":\"John Doe\"}")));
		await(client.post("/form").form(Map.of("a", "1 2", "b", "&")).retrieve());
		server.verify(postRequestedFor(urlEqualTo("/form"))
			.withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("application/x-www-form-urlencoded"))
			.withFormParam("a", equalTo("1 2"))
			.withFormParam("b", equalTo("&")));
		await(client.put("/raw").body(new byte[] { 1, 2, 3 }, MediaType.APPLICATION_OCTET_STREAM).retrieve());
		server.verify(com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlEqualTo("/raw"))
			.withRequestBody(binaryEqualTo(new byte[] { 1, 2, 3 })));
		await(client.patch("/text").body("hi", MediaType.TEXT_PLAIN).retrieve());
		server.verify(com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor(urlEqualTo("/text"))
			.withRequestBody(equalTo("hi")));
	}

	@Test
	void uriVariablesAreEncodedAndCannotChangeThePath() {
		server.stubFor(any(anyUrl()).willReturn(okJson("{}")));
		HttpClient client = client(config());
		await(client.get("/users/{id}", "../admin?x=1").retrieve());
		server.verify(getRequestedFor(urlPathEqualTo("/users/..%2Fadmin%3Fx%3D1")));
	}

	@Test
	void absoluteUrlToAnotherOriginIsRefusedBeforeSending() throws Exception {
		try (java.net.ServerSocket other = new java.net.ServerSocket(0, 50,
				java.net.InetAddress.getLoopbackAddress())) {
			HttpClient client = client(config().header("Authorization", "Bearer secret"));
			for (String target : List.of("http://127.0.0.1:" + other.getLocalPort() + "/steal",
					"//127.0.0.1:" + other.getLocalPort() + "/steal", "https://127.0.0.1:" + server.port() + "/x",
					"http://localhost:" + server.port() + "/x")) {
				assertThatExceptionOfType(NetworkException.class).as(target)
					.isThrownBy(() -> await(client.get(target).retrieve()))
					.satisfies((ex) -> {
						assertThat(ex.kind()).isEqualTo(NetworkException.Kind.INVALID_REQUEST);
						assertThat(ex.getMessage()).contains("origin").doesNotContain("secret");
					});
			}
			other.setSoTimeout(200);
			assertThatExceptionOfType(java.net.SocketTimeoutException.class).isThrownBy(other::accept);
		}
		assertThat(server.getAllServeEvents()).isEmpty();
	}

	@Test
	void absoluteUrlsWorkWithoutBaseUrl() {
		server.stubFor(get("/a").willReturn(okJson("1")));
		server.stubFor(get("/b").willReturn(okJson("2")));
		HttpClient client = client(HttpConfig.builder());
		List<Object> results = Flux.just(baseUrl() + "/a", baseUrl() + "/b")
			.flatMapSequential((url) -> client.get(url).retrieve())
			.collectList()
			.block(WAIT);
		assertThat(results).containsExactly(1, 2);
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> await(client.get("/relative").retrieve()))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("no base-url"));
	}

	@Test
	void headersWithCrOrLfAreRefusedBeforeSending() {
		HttpClient client = client(config());
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> await(client.get("/x").header("X-Evil", "a\r\nInjected: yes").retrieve()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.INVALID_REQUEST);
				assertThat(ex.getMessage()).contains("X-Evil").contains("CR, LF");
			});
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> await(client.get("/x").header("X-Evil\nInjected", "v").retrieve()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HttpConfig.builder().header("X-Default", "a\nb").build())
			.withMessageContaining("X-Default");
		assertThat(server.getAllServeEvents()).isEmpty();
	}

	@Test
	void interceptorsRunPerAttemptAndSeeEveryResponse() {
		stubFlaky("/flaky", 1);
		List<String> seen = new ArrayList<>();
		RequestInterceptor auth = new RequestInterceptor() {

			@Override
			public Mono<Void> preRequest(InterceptedRequest request) {
				return Mono.fromRunnable(() -> {
					seen.add("pre " + request.method() + " " + request.url().getPath() + " #" + request.attempt());
					request.headers().set("Authorization", "Bearer token-" + request.attempt());
				});
			}

			@Override
			public Mono<Void> postResponse(InterceptedResponse response) {
				return Mono.fromRunnable(() -> seen.add("post " + response.status().value()));
			}

		};
		HttpClient client = client(config().interceptor(auth));
		await(client.get("/flaky").retrieve());
		assertThat(seen).containsExactly("pre GET /flaky #1", "post 503", "pre GET /flaky #2", "post 200");
		server.verify(getRequestedFor(urlEqualTo("/flaky")).withHeader("Authorization", equalTo("Bearer token-2")));
	}

	@Test
	void failingInterceptorFailsTheCallNamingIt() {
		RequestInterceptor broken = new RequestInterceptor() {

			@Override
			public Mono<Void> preRequest(InterceptedRequest request) {
				throw new IllegalStateException("no token");
			}

		};
		HttpClient client = client(config().interceptor(broken));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> await(client.get("/x").retrieve()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.INTERCEPTOR);
				assertThat(ex.getMessage()).contains(broken.getClass().getName()).contains("no token");
			});
		assertThat(server.getAllServeEvents()).isEmpty();
	}

	@Test
	void bodyOverMaxInMemorySizeFailsNamingTheLimit() {
		server.stubFor(get("/large").willReturn(aResponse().withBody(new byte[4096])));
		HttpClient client = client(config().maxInMemorySize(1024).responseFormat(ResponseFormat.BYTES));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> await(client.get("/large").retrieve()))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.BODY_TOO_LARGE);
				assertThat(ex.getMessage()).contains("max-in-memory-size");
			});
	}

	@Test
	void invalidConfigurationNamesThePropertyAndValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> HttpConfig.builder().baseUrl("api.example.com").build())
			.withMessageContaining("base-url")
			.withMessageContaining("api.example.com");
		assertThatIllegalArgumentException().isThrownBy(() -> HttpConfig.builder().retries(-1).build())
			.withMessageContaining("retries")
			.withMessageContaining("-1");
		assertThatIllegalArgumentException().isThrownBy(() -> HttpConfig.builder().maxRateLimit(-5).build())
			.withMessageContaining("max-rate-limit")
			.withMessageContaining("-5");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HttpConfig.builder().proxy("ftp://user:hunter2@proxy:21").build())
			.withMessageContaining("proxy")
			.withMessageNotContaining("hunter2");
		assertThatIllegalArgumentException().isThrownBy(() -> HttpConfig.builder().timeout(Duration.ZERO).build())
			.withMessageContaining("timeout");
	}

	@Test
	void perRequestArgumentsAreCheckedAsTheSettingsTheyOverride() {
		HttpClient client = client(config());
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> client.get("/x").retries(-1))
			.withMessage("retries must be 0 or more but was -1")
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("retries"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> client.get("/x").retryDelay(Duration.ofMillis(-1)))
			.withMessage("retryDelay must not be negative but was PT-0.001S");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> client.get("/x").timeout(Duration.ZERO))
			.withMessage("timeout must be positive but was PT0S");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> client.get("/x").deadline(null))
			.withMessage("deadline must not be null");
	}

	@Test
	void defaultsAreTheBriefs() {
		HttpConfig config = HttpConfig.defaults();
		assertThat(config.baseUrl()).isNull();
		assertThat(config.timeouts().attempt()).isEqualTo(Duration.ofSeconds(30));
		assertThat(config.retry().settings().maxRetries()).isEqualTo(3);
		assertThat(config.retry().settings().delay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(config.transport().verifySsl()).isTrue();
		assertThat(config.decoding().format()).isEqualTo(ResponseFormat.JSON);
		assertThat(config.decoding().raiseForStatus()).isTrue();
		assertThat(config.rateLimit().maxPerSecond()).isZero();
		assertThat(config.toBuilder().retries(5).build().retry().settings().maxRetries()).isEqualTo(5);
	}

	private static void stubFlaky(String path, int failures) {
		String state = Scenario.STARTED;
		for (int i = 0; i < failures; i++) {
			String next = "failed-" + (i + 1);
			server.stubFor(get(path).inScenario(path)
				.whenScenarioStateIs(state)
				.willReturn(aResponse().withStatus(503))
				.willSetStateTo(next));
			state = next;
		}
		server.stubFor(get(path).inScenario(path).whenScenarioStateIs(state).willReturn(okJson("{\"ok\":true}")));
	}

	record User(int id, String name) {
	}

	@Test
	void anErrorPageThatIsNotJsonCanStillBeInspected() {
		server.stubFor(get("/form").willReturn(aResponse().withStatus(400)
			.withHeader("Content-Type", "text/html")
			.withHeader("X-Request-Id", "r-1")
			.withBody("<html><body><h1>400 Bad Request</h1></body></html>")));
		HttpClient client = client(config());
		HttpResponse<Object> response = await(client.get("/form").raiseForStatus(false).exchange());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().getFirst("X-Request-Id")).isEqualTo("r-1");
		assertThat(response.body()).isEqualTo("<html><body><h1>400 Bad Request</h1></body></html>");
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> await(client.get("/form").raiseForStatus(false).exchange(Map.class)))
			.satisfies((ex) -> {
				assertThat(ex.kind()).isEqualTo(NetworkException.Kind.STATUS);
				assertThat(ex.status()).isEqualTo(400);
				assertThat(ex.responseHeaders().getFirst("X-Request-Id")).isEqualTo("r-1");
				assertThat(ex.bodySnippet()).contains("400 Bad Request");
			});
	}

	@Test
	void anErrorBodyThatIsJsonIsDecodedAsAsked() {
		server.stubFor(get("/problem").willReturn(aResponse().withStatus(422)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":\"invalid\"}")));
		HttpResponse<Map> response = await(client(config()).get("/problem").raiseForStatus(false).exchange(Map.class));
		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(response.body()).containsEntry("error", "invalid");
	}

}
