package io.pepperpy.network.http;

import java.time.Duration;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.SslProvider;

/**
 * Builds a client's Reactor Netty connector from its configuration: the connection pool (with its figures
 * reported to {@link PoolStats}), the connect timeout (never longer than the per-attempt timeout), compression,
 * HTTP/2 (offered in ALPN whatever the TLS settings), TLS (key and trust managers from an SSL bundle, or no
 * verification with {@code verify-ssl: false}) and the proxy (its answer bounded by the connect timeout).
 */
final class NettyConnectorFactory {

	private NettyConnectorFactory() {
	}

	static ConnectionProvider pool(HttpConfig config, PoolStats stats) {
		ConnectionPool pool = config.transport().pool();
		return ConnectionProvider.builder("pepperpy-" + config.name())
			.maxConnections(pool.maxConnections())
			.pendingAcquireMaxCount(pool.pendingAcquireMaxCount())
			.pendingAcquireTimeout(pool.pendingAcquireTimeout())
			.maxIdleTime(pool.maxIdleTime())
			.maxLifeTime(pool.maxLifeTime())
			.evictInBackground(pool.evictionInterval())
			.metrics(true, () -> stats)
			.build();
	}

	/**
	 * Return the connect timeout: {@code connect-timeout}, never longer than the per-attempt {@code timeout}.
	 */
	static Duration connectTimeout(HttpConfig config) {
		Timeouts timeouts = config.timeouts();
		return (timeouts.connect().compareTo(timeouts.attempt()) < 0) ? timeouts.connect() : timeouts.attempt();
	}

	static HttpClient connector(HttpConfig config, ConnectionProvider provider, @Nullable KeyManagerFactory keyManagers,
			@Nullable TrustManagerFactory trustManagers, TlsOptions tlsOptions) {
		Duration connectTimeout = connectTimeout(config);
		HttpClient client = HttpClient.create(provider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
			.compress(true);
		if (config.transport().http2()) {
			client = client.protocol(HttpProtocol.H2, HttpProtocol.HTTP11);
		}
		if (config.transport().verifySsl() && (keyManagers != null || trustManagers != null)) {
			SslProvider.ProtocolSslContextSpec tls = tlsFor(config).configure((builder) -> {
				if (keyManagers != null) {
					builder.keyManager(keyManagers);
				}
				if (trustManagers != null) {
					builder.trustManager(trustManagers);
				}
				tlsOptions.applyTo(builder);
			});
			client = client.secure((spec) -> spec.sslContext(tls));
		}
		if (!config.transport().verifySsl()) {
			// LazyHttpClient warned when the client was built.
			SslProvider.ProtocolSslContextSpec insecure = tlsFor(config)
				.configure((builder) -> {
					builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
					tlsOptions.applyTo(builder);
				});
			client = client.secure((spec) -> spec.sslContext(insecure).handlerConfigurator((handler) -> {
				SSLEngine engine = handler.engine();
				SSLParameters parameters = engine.getSSLParameters();
				parameters.setEndpointIdentificationAlgorithm(null);
				engine.setSSLParameters(parameters);
			}));
		}
		return client;
	}

	/**
	 * The TLS context of a customised handshake: with {@code http2} one that offers {@code h2} and
	 * {@code http/1.1} in ALPN, so HTTP/2 is negotiated with a private CA or without verification too (an
	 * HTTP/1.1 context offers only {@code http/1.1}, and the server never learns the client speaks HTTP/2).
	 */
	private static SslProvider.ProtocolSslContextSpec tlsFor(HttpConfig config) {
		return config.transport().http2() ? Http2SslContextSpec.forClient() : Http11SslContextSpec.forClient();
	}

	/**
	 * Send through a proxy, except to the non-proxy hosts, with the client's connect timeout bounding the proxy's
	 * answer to CONNECT too (Reactor Netty's own bound is a fixed 10 s).
	 */
	static HttpClient withProxy(HttpClient client, ProxySettings proxy, Duration connectTimeout,
			NonProxyHosts nonProxyHosts) {
		return client.proxy((spec) -> {
			var builder = spec.type(proxy.type())
				.host(proxy.host())
				.port(proxy.port())
				.connectTimeoutMillis(Math.max(1, connectTimeout.toMillis()));
			if (proxy.username() != null) {
				builder.username(proxy.username());
			}
			if (proxy.password() != null) {
				String password = proxy.password();
				builder.password((user) -> password);
			}
			builder.nonProxyHostsPredicate(nonProxyHosts);
		});
	}

}
