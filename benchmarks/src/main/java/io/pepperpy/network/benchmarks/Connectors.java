package io.pepperpy.network.benchmarks;

import io.netty.channel.ChannelOption;
import reactor.netty.resources.ConnectionProvider;

import io.pepperpy.network.http.ConnectionPool;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The connection pools and connectors of the arms built on Reactor Netty without our client (raw Reactor Netty and
 * plain WebClient), in every part: the settings {@code DefaultHttpClient} builds (its pool, connect timeout and
 * compression), so those arms differ from ours only above the connector.
 */
final class Connectors {

	private Connectors() {
	}

	/**
	 * The connection pool {@code DefaultHttpClient} builds ({@link ConnectionPool#DEFAULTS}).
	 * @param name the pool's name
	 * @return a new pool, for the caller to dispose of
	 */
	static ConnectionProvider pool(String name) {
		return pool(name, ConnectionPool.DEFAULTS).build();
	}

	/**
	 * A connection pool with the settings of {@code pool}, still to be built, for callers that add to them (such as
	 * a meter registrar).
	 * @param name the pool's name
	 * @param pool its settings, as {@code HttpClient} takes them
	 * @return the pool's builder
	 */
	static ConnectionProvider.Builder pool(String name, ConnectionPool pool) {
		return ConnectionProvider.builder(name)
			.maxConnections(pool.maxConnections())
			.pendingAcquireMaxCount(pool.pendingAcquireMaxCount())
			.pendingAcquireTimeout(pool.pendingAcquireTimeout())
			.maxIdleTime(pool.maxIdleTime())
			.maxLifeTime(pool.maxLifeTime())
			.evictInBackground(pool.evictionInterval());
	}

	/**
	 * The connector {@code DefaultHttpClient} builds with its default configuration, on {@code provider}.
	 * @param provider the connection pool
	 * @return Reactor Netty's client
	 */
	static reactor.netty.http.client.HttpClient connector(ConnectionProvider provider) {
		return reactor.netty.http.client.HttpClient.create(provider)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
			.compress(true);
	}

	/**
	 * Plain WebClient on {@link #connector(ConnectionProvider) our connector's settings}, still to be built.
	 * @param baseUrl the server, such as {@code http://127.0.0.1:18080}
	 * @param provider the connection pool
	 * @return the WebClient's builder
	 */
	static WebClient.Builder plainWebClient(String baseUrl, ConnectionProvider provider) {
		return WebClient.builder()
			.baseUrl(baseUrl)
			.clientConnector(new ReactorClientHttpConnector(connector(provider)));
	}

}
