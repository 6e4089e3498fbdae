package io.pepperpy.network.http;

import java.time.Duration;
import java.util.function.UnaryOperator;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;

/**
 * A WireMock server on a free loopback port for a test class: started before its tests, reset (stubs and
 * requests) before each, stopped after them. It is the server itself, so tests stub and verify on it directly.
 * Register it as a static field: {@code @RegisterExtension static final LoopbackWireMock server = new
 * LoopbackWireMock();}.
 */
public final class LoopbackWireMock extends WireMockServer
		implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

	private boolean resetBeforeEach = true;

	/**
	 * A server with HTTP only.
	 */
	public LoopbackWireMock() {
		this(UnaryOperator.identity());
	}

	/**
	 * A server whose configuration (HTTP on a free port of 127.0.0.1) is customized, say with more container
	 * threads.
	 * @param customizer returns the configuration to use, given the loopback one
	 */
	public LoopbackWireMock(UnaryOperator<WireMockConfiguration> customizer) {
		super(customizer.apply(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")));
	}

	/**
	 * A server with HTTPS too, on a port of its own (WireMock's self-signed certificate).
	 * @return the server
	 */
	public static LoopbackWireMock withHttps() {
		return new LoopbackWireMock(WireMockConfiguration::dynamicHttpsPort);
	}

	/**
	 * Keep stubs and requests from one test to the next, for a class that stubs once before all its tests.
	 * @return this server
	 */
	public LoopbackWireMock withoutResetBetweenTests() {
		this.resetBeforeEach = false;
		return this;
	}

	/**
	 * Return the base URL of the HTTP port.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String http() {
		return "http://127.0.0.1:" + port();
	}

	/**
	 * Wait until the server has received a request that matches: WireMock logs a request before any delay of its
	 * stub, so a call to a delayed stub is then in flight.
	 * @param pattern the requests to wait for, say {@code getRequestedFor(urlEqualTo("/slow"))}
	 */
	public void awaitRequest(RequestPatternBuilder pattern) {
		await().pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(10))
			.atMost(Duration.ofSeconds(10))
			.until(() -> countRequestsMatching(pattern.build()).getCount() > 0);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		if (this.resetBeforeEach) {
			resetAll();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stop();
	}

}
