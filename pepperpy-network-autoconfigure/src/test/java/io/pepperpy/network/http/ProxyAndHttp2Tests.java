package io.pepperpy.network.http;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.tcp.TcpTlsTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Against servers that behave as real ones do: HTTP/2 negotiated over a private CA and without verification (a
 * Reactor Netty HTTPS server offering {@code h2} and {@code http/1.1} in ALPN, answering with the protocol it
 * saw), and CONNECT proxies that stall or refuse the credentials.
 */
class ProxyAndHttp2Tests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static DisposableServer https;

	private static TrustManagerFactory trust;

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	private final List<HttpClient> clients = new ArrayList<>();

	@BeforeAll
	static void start(@TempDir Path directory) throws Exception {
		Path keyStorePath = TcpTlsTestSupport.generateKeyStore(directory);
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(keyStorePath)) {
			keyStore.load(in, "changeit".toCharArray());
		}
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(keyStore, "changeit".toCharArray());
		trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(keyStore);
		https = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.protocol(HttpProtocol.H2, HttpProtocol.HTTP11)
			.secure((spec) -> spec.sslContext(Http2SslContextSpec.forServer(keys)))
			.handle((request, response) -> response.sendString(Mono.just(request.protocol())))
			.bindNow();
	}

	@AfterAll
	static void stop() {
		https.disposeNow();
	}

	@AfterEach
	void close() {
		this.clients.forEach(HttpClient::close);
	}

	private HttpClient client(HttpConfig config, TrustManagerFactory trustManagers) {
		HttpClient client = HttpClient.builder().config(config).tls(null, trustManagers).build();
		this.clients.add(client);
		return client;
	}

	private HttpConfig.Builder http2() {
		return HttpConfig.builder()
			.baseUrl("https://127.0.0.1:" + https.port())
			.http2(true)
			.responseFormat(ResponseFormat.TEXT);
	}

	@Test
	void http2IsNegotiatedWithAPrivateCertificateAuthority() {
		HttpClient client = client(http2().build(), trust);
		assertThat(client.get("/").retrieve(String.class).block(WAIT)).isEqualTo("HTTP/2.0");
	}

	@Test
	void http2IsNegotiatedWithoutVerification() {
		HttpClient client = client(http2().verifySsl(false).build(), null);
		assertThat(client.get("/").retrieve(String.class).block(WAIT)).isEqualTo("HTTP/2.0");
	}

	@Test
	void withoutHttp2TheCustomisedHandshakeStaysOnHttp11() {
		HttpClient client = client(http2().http2(false).build(), trust);
		assertThat(client.get("/").retrieve(String.class).block(WAIT)).isEqualTo("HTTP/1.1");
	}

	@Test
	void aProxyThatNeverAnswersIsBoundedByTheConnectTimeout() throws Exception {
		server.stubFor(get("/p").willReturn(okJson("{}")));
		try (TunnelProxy proxy = new TunnelProxy().stall()) {
			HttpClient client = client(HttpConfig.builder()
				.baseUrl("http://127.0.0.1:" + server.port())
				.proxy("http://127.0.0.1:" + proxy.port())
				.connectTimeout(Duration.ofSeconds(1))
				.timeout(Duration.ofSeconds(15))
				.retries(0)
				.build(), null);
			long start = System.nanoTime();
			assertThatExceptionOfType(NetworkException.class)
				.isThrownBy(() -> client.get("/p").retrieve().block(WAIT))
				.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(NetworkException.Kind.CONNECT));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

	@Test
	void aProxyThatRefusesTheCredentialsFailsAtOnceWithoutThePassword() throws Exception {
		server.stubFor(get("/p").willReturn(okJson("{}")));
		try (TunnelProxy proxy = new TunnelProxy().requireAuthorization("Basic other")) {
			HttpClient client = client(HttpConfig.builder()
				.baseUrl("http://127.0.0.1:" + server.port())
				.proxy("http://user:s3cret@127.0.0.1:" + proxy.port())
				.build(), null);
			assertThatExceptionOfType(NetworkException.class)
				.isThrownBy(() -> client.get("/p").retrieve().block(WAIT))
				.satisfies((ex) -> {
					assertThat(ex.kind()).isEqualTo(NetworkException.Kind.PROXY_AUTHENTICATION);
					assertThat(ex.getMessage()).contains("407").contains("proxy credentials").doesNotContain("s3cret");
				});
			assertThat(proxy.connects()).hasSize(1);
		}
	}

	@Test
	void aNonProxyHostIsReachedDirectly() throws Exception {
		server.stubFor(get("/p").willReturn(okJson("{}")));
		try (TunnelProxy proxy = new TunnelProxy()) {
			HttpClient direct = client(HttpConfig.builder()
				.baseUrl("http://127.0.0.1:" + server.port())
				.proxy("http://127.0.0.1:" + proxy.port())
				.nonProxyHosts(List.of("localhost|127.*"))
				.build(), null);
			direct.get("/p").retrieve().block(WAIT);
			assertThat(proxy.connects()).isEmpty();
			HttpClient proxied = client(HttpConfig.builder()
				.baseUrl("http://127.0.0.1:" + server.port())
				.proxy("http://127.0.0.1:" + proxy.port())
				.nonProxyHosts(List.of("*.internal"))
				.build(), null);
			proxied.get("/p").retrieve().block(WAIT);
			assertThat(proxy.connects()).hasSize(1);
		}
	}

	@Test
	void theSystemProxyIsUsedWhenAsked() throws Exception {
		server.stubFor(get("/p").willReturn(okJson("{}")));
		try (TunnelProxy proxy = new TunnelProxy()) {
			System.setProperty("http.proxyHost", "127.0.0.1");
			System.setProperty("http.proxyPort", Integer.toString(proxy.port()));
			System.setProperty("http.nonProxyHosts", "none.example");
			try {
				HttpClient client = client(HttpConfig.builder()
					.baseUrl("http://127.0.0.1:" + server.port())
					.proxy("system")
					.build(), null);
				client.get("/p").retrieve().block(WAIT);
				assertThat(proxy.connects()).hasSize(1);
			}
			finally {
				System.clearProperty("http.proxyHost");
				System.clearProperty("http.proxyPort");
				System.clearProperty("http.nonProxyHosts");
			}
		}
	}

}
