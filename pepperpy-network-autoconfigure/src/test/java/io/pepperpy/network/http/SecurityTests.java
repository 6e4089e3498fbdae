package io.pepperpy.network.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.pepperpy.network.NetworkException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpMethod;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Credentials never leave their origin, redirects are bounded, hostile input is refused before sending, and
 * response size caps hold for compressed bodies.
 */
class SecurityTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final LoopbackWireMock a = LoopbackWireMock.withHttps();

	@RegisterExtension
	static final LoopbackWireMock b = new LoopbackWireMock();

	private static DisposableServer bombs;

	private final List<HttpClient> clients = new ArrayList<>();

	@BeforeAll
	static void start() throws IOException {
		byte[] gzipBomb = compress(true);
		byte[] deflateBomb = compress(false);
		bombs = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes
				.get("/gzip", (request, response) -> response.header("Content-Encoding", "gzip")
					.header("Content-Type", "application/json")
					.sendByteArray(Mono.just(gzipBomb)))
				.get("/deflate", (request, response) -> response.header("Content-Encoding", "deflate")
					.header("Content-Type", "application/json")
					.sendByteArray(Mono.just(deflateBomb)))
				.get("/identity", (request, response) -> response.header("Content-Type", "application/octet-stream")
					.sendByteArray(Mono.just(new byte[8 * 1024 * 1024]))))
			.bindNow();
	}

	/**
	 * 64 MiB of zeros, compressed to about 64 KiB.
	 */
	private static byte[] compress(boolean gzip) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (var out = gzip ? new GZIPOutputStream(bytes) : new DeflaterOutputStream(bytes)) {
			byte[] zeros = new byte[1024 * 1024];
			for (int i = 0; i < 64; i++) {
				out.write(zeros);
			}
		}
		return bytes.toByteArray();
	}

	@AfterAll
	static void stop() {
		bombs.disposeNow();
	}

	@AfterEach
	void close() {
		this.clients.forEach((client) -> {
			FaultMatrixTests.awaitPoolIdle(client);
			client.close();
		});
	}

	private HttpClient client(HttpConfig.Builder config) {
		HttpClient client = HttpClient.create(config.build());
		this.clients.add(client);
		return client;
	}

	private static String url(WireMockServer server) {
		return "http://127.0.0.1:" + server.port();
	}

	private static HttpConfig.Builder withCredentials(String baseUrl) {
		return HttpConfig.builder()
			.baseUrl(baseUrl)
			.header("Authorization", "Bearer secret")
			.header("Cookie", "session=secret")
			.header("X-Api-Key", "secret")
			.redactHeaders(Set.of("X-Api-Key"))
			.retries(0);
	}

	@Test
	void redirectsAreNotFollowedByDefault() {
		a.stubFor(get("/start").willReturn(aResponse().withStatus(302).withHeader("Location", url(b) + "/landing")));
		HttpClient client = client(withCredentials(url(a)));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> client.get("/start").retrieve().block(WAIT))
			.satisfies((ex) -> assertThat(ex.status()).isEqualTo(302));
		assertThat(b.getAllServeEvents()).isEmpty();
	}

	@Test
	void crossOriginRedirectDropsCredentials() {
		a.stubFor(get("/start").willReturn(aResponse().withStatus(302).withHeader("Location", url(b) + "/landing")));
		b.stubFor(get("/landing").willReturn(okJson("{\"landed\":true}")));
		HttpClient client = client(withCredentials(url(a)).followRedirects(true));
		assertThat(client.get("/start").header("X-Trace", "kept").retrieve().block(WAIT))
			.isEqualTo(Map.of("landed", true));
		a.verify(getRequestedFor(urlEqualTo("/start")).withHeader("Authorization", equalTo("Bearer secret")));
		b.verify(getRequestedFor(urlEqualTo("/landing")).withHeader("Authorization", absent())
			.withHeader("Cookie", absent())
			.withHeader("X-Api-Key", absent())
			.withHeader("X-Trace", equalTo("kept")));
	}

	@Test
	void sameOriginRedirectChainKeepsCredentials() {
		a.stubFor(get("/one").willReturn(aResponse().withStatus(301).withHeader("Location", "/two")));
		a.stubFor(get("/two").willReturn(aResponse().withStatus(307).withHeader("Location", url(b) + "/three")));
		b.stubFor(get("/three").willReturn(aResponse().withStatus(302).withHeader("Location", "/four")));
		b.stubFor(get("/four").willReturn(okJson("{}")));
		HttpClient client = client(withCredentials(url(a)).followRedirects(true));
		client.get("/one").retrieve().block(WAIT);
		a.verify(getRequestedFor(urlEqualTo("/two")).withHeader("Authorization", equalTo("Bearer secret")));
		// A -> B -> B: once dropped on the hop to B, credentials never come back.
		b.verify(getRequestedFor(urlEqualTo("/three")).withHeader("Authorization", absent()));
		b.verify(getRequestedFor(urlEqualTo("/four")).withHeader("Authorization", absent()));
	}

	@Test
	void httpsToHttpAndAnotherPortAreOtherOrigins() {
		a.stubFor(get("/secure").willReturn(
				aResponse().withStatus(302).withHeader("Location", "http://localhost:" + a.port() + "/plain")));
		a.stubFor(get("/plain").willReturn(okJson("{}")));
		HttpClient client = client(withCredentials("https://localhost:" + a.httpsPort()).verifySsl(false)
			.followRedirects(true));
		client.get("/secure").retrieve().block(WAIT);
		a.verify(getRequestedFor(urlEqualTo("/secure")).withHeader("Authorization", equalTo("Bearer secret")));
		a.verify(getRequestedFor(urlEqualTo("/plain")).withHeader("Authorization", absent()));
	}

	@Test
	void redirectHopsAreBounded() {
		a.stubFor(get("/loop").willReturn(aResponse().withStatus(302).withHeader("Location", "/loop")));
		HttpClient client = client(withCredentials(url(a)).followRedirects(true).maxRedirects(3));
		assertThatExceptionOfType(NetworkException.class).isThrownBy(() -> client.get("/loop").retrieve().block(WAIT))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("max-redirects (3)"));
		a.verify(4, getRequestedFor(urlEqualTo("/loop")));
	}

	@Test
	void redirectMethodsAndBodies() {
		a.stubFor(post("/307").willReturn(aResponse().withStatus(307).withHeader("Location", "/target")));
		a.stubFor(post("/303").willReturn(aResponse().withStatus(303).withHeader("Location", "/target")));
		a.stubFor(any(urlEqualTo("/target")).willReturn(okJson("{}")));
		HttpClient client = client(HttpConfig.builder().baseUrl(url(a)).retries(0).followRedirects(true));
		client.post("/307").json(Map.of("order", 1)).retrieve().block(WAIT);
		a.verify(postRequestedFor(urlEqualTo("/target")).withRequestBody(equalToJson("{\"order\":1}")));
		a.resetRequests();
		client.post("/303").json(Map.of("order", 2)).retrieve().block(WAIT);
		a.verify(getRequestedFor(urlEqualTo("/target")).withHeader("Content-Type", absent()));
	}

	@Test
	void oneShotBodyIsNotReplayedOnRedirect() {
		a.stubFor(post("/307").willReturn(aResponse().withStatus(307).withHeader("Location", "/target")));
		a.stubFor(any(urlEqualTo("/target")).willReturn(okJson("{}")));
		HttpClient client = client(HttpConfig.builder().baseUrl(url(a)).retries(0).followRedirects(true));
		InputStreamResource stream = new InputStreamResource(new ByteArrayInputStream(new byte[10])) {

			@Override
			public String getFilename() {
				return "data.bin";
			}

			@Override
			public long contentLength() {
				return 10;
			}

		};
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> client.post("/307").multipart((parts) -> parts.file("f", stream)).retrieve().block(WAIT))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("one-shot"));
		a.verify(0, anyRequestedFor(urlEqualTo("/target")));
	}

	@Test
	void crLfOrNulInMethodsHeadersAndVariablesNeverReachTheWire() {
		a.stubFor(any(anyUrl()).willReturn(okJson("{}")));
		HttpClient client = client(HttpConfig.builder().baseUrl(url(a)).retries(0));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> client.method(HttpMethod.valueOf("GET /x HTTP/1.1\r\nX:"), "/m").retrieve().block(WAIT))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.INVALID_REQUEST));
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> client.get("/h").header("X-A", "v\0x").retrieve().block(WAIT));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> client.get("/p").proxy("http://proxy\r\n.example:8080"));
		client.get("/v/{id}", "a\r\nHost: evil.example").retrieve().block(WAIT);
		assertThat(a.getAllServeEvents()).hasSize(1);
		assertThat(a.getAllServeEvents().get(0).getRequest().getUrl()).isEqualTo("/v/a%0D%0AHost%3A%20evil.example");
		assertThat(a.getAllServeEvents().get(0).getRequest().getHeader("Host")).startsWith("127.0.0.1");
	}

	@Test
	void sizeCapHoldsForIdentityGzipAndDeflateBodies() {
		HttpClient client = client(HttpConfig.builder()
			.baseUrl("http://127.0.0.1:" + bombs.port())
			.retries(0)
			.maxInMemorySize(1024 * 1024)
			.responseFormat(ResponseFormat.BYTES));
		for (String path : List.of("/identity", "/gzip", "/deflate")) {
			assertThatExceptionOfType(NetworkException.class).as(path)
				.isThrownBy(() -> client.get(path).retrieve().block(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.kind()).isEqualTo(NetworkException.Kind.BODY_TOO_LARGE);
					assertThat(ex.getMessage()).contains("max-in-memory-size");
				});
		}
	}

}
