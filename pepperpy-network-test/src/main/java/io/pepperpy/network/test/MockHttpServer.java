package io.pepperpy.network.test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.Options;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * An in-JVM WireMock server on a free loopback port, standing in for the API behind one client. It is a
 * {@link WireMockServer}: stub with {@code stubFor(get("/users/1").willReturn(okJson("{}")))} and verify with
 * {@code verify(getRequestedFor(urlEqualTo("/users/1")).withHeader("Accept", containing("json")))}.
 * <p>
 * Servers started by {@link AutoConfigureMockHttpServers} are reset between tests and stopped with their
 * application context; get them from {@link MockHttpServers}.
 */
public class MockHttpServer extends WireMockServer {

	private final String clientName;

	/**
	 * Create a server for a client, bound to {@code 127.0.0.1} on a free port. It is not started.
	 * @param clientName the name of the client the server stands in for
	 */
	public MockHttpServer(String clientName) {
		this(clientName, wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
	}

	/**
	 * Create a server for a client with WireMock options of your own. It is not started.
	 * @param clientName the name of the client the server stands in for
	 * @param options the WireMock options
	 */
	public MockHttpServer(String clientName, Options options) {
		super(options);
		this.clientName = clientName;
	}

	/**
	 * Return the name of the client the server stands in for ({@code default} for the default client).
	 * @return the client name
	 */
	public String clientName() {
		return this.clientName;
	}

	/**
	 * Return the server's base URL. The server must be running.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	@Override
	public String baseUrl() {
		return "http://127.0.0.1:" + port();
	}

	@Override
	public String toString() {
		return "MockHttpServer[" + this.clientName + (isRunning() ? " at " + baseUrl() : ", stopped") + "]";
	}

}
