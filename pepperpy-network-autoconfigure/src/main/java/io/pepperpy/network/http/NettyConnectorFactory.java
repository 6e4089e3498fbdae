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
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Builds a client's Reactor Netty connector from its configuration: the connection pool (with its figures
 * reported to {@link PoolStats}), the connect timeout (never longer than the per-attempt timeout), compression,
 * HTTP/2, TLS (key and trust managers from an SSL bundle, or no verification with {@code verify-ssl: false}) and
 * the proxy.
 */
final class NettyConnectorFactory {

	private NettyConnectorFactory() {
	}

	static ConnectionProvider pool(HttpConfig config, PoolStats stats) {
		HttpConfig.Pool pool = config.pool();
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

	static HttpClient connector(HttpConfig config, ConnectionProvider provider, @Nullable KeyManagerFactory keyManagers,
			@Nullable TrustManagerFactory trustManagers) {
		Duration connectTimeout = (config.connectTimeout().compareTo(config.timeout()) < 0) ? config.connectTimeout()
				: config.timeout();
		HttpClient client = HttpClient.create(provider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
			.compress(true);
		if (config.http2()) {
			client = client.protocol(HttpProtocol.H2, HttpProtocol.HTTP11);
		}
		if (config.verifySsl() && (keyManagers != null || trustManagers != null)) {
			Http11SslContextSpec tls = Http11SslContextSpec.forClient().configure((builder) -> {
				if (keyManagers != null) {
					builder.keyManager(keyManagers);
				}
				if (trustManagers != null) {
					builder.trustManager(trustManagers);
				}
			});
			client = client.secure((spec) -> spec.sslContext(tls));
		}
		if (!config.verifySsl()) {
			// LazyHttpClient warned when the client was built.
			Http11SslContextSpec insecure = Http11SslContextSpec.forClient()
				.configure((builder) -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE));
			client = client.secure((spec) -> spec.sslContext(insecure).handlerConfigurator((handler) -> {
				SSLEngine engine = handler.engine();
				SSLParameters parameters = engine.getSSLParameters();
				parameters.setEndpointIdentificationAlgorithm(null);
				engine.setSSLParameters(parameters);
			}));
		}
		return client;
	}

	static HttpClient withProxy(HttpClient client, ProxySettings proxy) {
		return client.proxy((spec) -> {
			var builder = spec.type(proxy.type()).host(proxy.host()).port(proxy.port());
			if (proxy.username() != null) {
				builder.username(proxy.username());
			}
			if (proxy.password() != null) {
				String password = proxy.password();
				builder.password((user) -> password);
			}
			builder.nonProxyHostsPredicate((address) -> false);
		});
	}

}
