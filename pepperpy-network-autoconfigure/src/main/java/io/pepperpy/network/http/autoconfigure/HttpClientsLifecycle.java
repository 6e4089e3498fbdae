package io.pepperpy.network.http.autoconfigure;

import java.util.List;

import io.pepperpy.network.http.HttpClient;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every {@link HttpClient} bean gracefully when the application context closes: new calls are refused,
 * calls in flight get up to their client's {@code shutdown-grace-period}, then the pools are released. It stops
 * after the web server has drained its own requests (a lower phase than Boot's graceful shutdown), and never
 * blocks a thread: Spring waits for the asynchronous callback.
 */
public class HttpClientsLifecycle implements SmartLifecycle {

	/**
	 * Phase of this lifecycle: stopped after the web server's graceful shutdown.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final ObjectProvider<HttpClient> clients;

	private volatile boolean running;

	public HttpClientsLifecycle(ObjectProvider<HttpClient> clients) {
		this.clients = clients;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.clients.orderedStream().forEach(HttpClient::close);
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		List<HttpClient> all = this.clients.orderedStream().toList();
		Flux.fromIterable(all)
			.flatMap(HttpClient::closeGracefully)
			.doFinally((signal) -> callback.run())
			.subscribe();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
