package io.pepperpy.network.http;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import io.pepperpy.network.internal.TlsSetup;
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

	static HttpClient connector(HttpConfig config, ConnectionProvider provider, TlsSetup tls) {
		Duration connectTimeout = connectTimeout(config);
		HttpClient client = HttpClient.create(provider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
			.compress(true);
		if (config.transport().http2()) {
			client = client.protocol(HttpProtocol.H2, HttpProtocol.HTTP11);
		}
		boolean verify = config.transport().verifySsl();
		if (!verify || tls.hasManagers()) {
			// Without material and verified, Reactor Netty's own TLS set-up applies to https URLs. Unverified,
			// LazyHttpClient warned when the client was built.
			client = client.secure((spec) -> tls.configure(spec, tlsFor(config), verify, null));
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
