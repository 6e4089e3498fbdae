package io.pepperpy.network.test;

import java.util.function.Consumer;

import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link MockHttpServer} and a standalone {@link HttpClient} pointed at it, for tests without Spring. Register
 * it as a static field: the server starts before the class's tests, is reset (stubs, requests, scenarios) before
 * each, and is stopped, with the client closed, after them. As an instance field it lives for one test.
 * <pre class="code">
 * &#64;RegisterExtension
 * static MockHttpServerExtension server = new MockHttpServerExtension((config) -&gt; config.retries(0));
 *
 * &#64;Test
 * void readsUser() {
 *     server.stubFor(get("/users/1").willReturn(okJson("{\"id\":1}")));
 *     server.client().get("/users/{id}", 1).retrieve().block();
 *     server.verify(getRequestedFor(urlEqualTo("/users/1")));
 * }
 * </pre>
 */
public class MockHttpServerExtension extends MockHttpServer
		implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	private final Consumer<HttpConfig.Builder> config;

	private final Consumer<HttpClient.Builder> client;

	private @Nullable HttpClient httpClient;

	private boolean perClass;

	/**
	 * A server, and a client with the default configuration.
	 */
	public MockHttpServerExtension() {
		this((config) -> {
		});
	}

	/**
	 * A server, and a client whose configuration is customized, for example {@code (config) -> config.retries(0)}
	 * (its base URL is the server's).
	 * @param config customizes the client's configuration
	 */
	public MockHttpServerExtension(Consumer<HttpConfig.Builder> config) {
		this(config, (builder) -> {
		});
	}

	/**
	 * A server, and a client whose configuration and builder are customized (a {@code JsonMapper}, a meter
	 * registry, customizers, ...).
	 * @param config customizes the client's configuration (its base URL is the server's)
	 * @param client customizes the client's builder
	 */
	public MockHttpServerExtension(Consumer<HttpConfig.Builder> config, Consumer<HttpClient.Builder> client) {
		super("mock");
		this.config = config;
		this.client = client;
	}

	/**
	 * Return the client pointed at the server. It is made once the server has started.
	 * @return the client
	 * @throws IllegalStateException if the server has not started
	 */
	public HttpClient client() {
		if (this.httpClient == null) {
			throw new IllegalStateException("The mock HTTP server has not started: register the extension with "
					+ "@RegisterExtension, and use the client in tests");
		}
		return this.httpClient;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.perClass = true;
		begin();
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		if (isRunning()) {
			resetAll();
		}
		else {
			begin();
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (!this.perClass) {
			end();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		end();
	}

	private void begin() {
		start();
		HttpConfig.Builder config = HttpConfig.builder().name("mock");
		this.config.accept(config);
		config.baseUrl(baseUrl());
		HttpClient.Builder builder = HttpClient.builder().config(config.build());
		this.client.accept(builder);
		this.httpClient = builder.build();
	}

	private void end() {
		try {
			if (this.httpClient != null) {
				this.httpClient.close();
			}
		}
		finally {
			this.httpClient = null;
			if (isRunning()) {
				stop();
			}
		}
	}

}
