package io.pepperpy.network.http.autoconfigure;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.pepperpy.network.http.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every {@link HttpClient} bean gracefully when the application context closes: new calls are refused,
 * calls in flight get up to their client's {@code shutdown-grace-period}, then the pools are released. It stops
 * after the web server has drained its own requests (a lower phase than Boot's graceful shutdown), and never
 * blocks a thread: Spring waits for the asynchronous callback.
 */
final class HttpClientsLifecycle implements SmartLifecycle {

	/**
	 * Phase of this lifecycle: stopped after the web server's graceful shutdown.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final ObjectProvider<HttpClient> clients;

	private volatile boolean running;

	HttpClientsLifecycle(ObjectProvider<HttpClient> clients) {
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

	/**
	 * Close every client gracefully, all at once, and call back when the last one is closed. Written without
	 * Reactor operators or lambdas: clients that never made a request close at once
	 * ({@link HttpClient#closeGracefully(Runnable)}), so that closing an application that did not use them loads
	 * nothing (Reactor's {@code Flux} alone is hundreds of classes to load and verify).
	 */
	@Override
	public void stop(Runnable callback) {
		this.running = false;
		List<HttpClient> all = this.clients.orderedStream().toList();
		if (all.isEmpty()) {
			callback.run();
			return;
		}
		Countdown countdown = new Countdown(all.size(), callback);
		for (HttpClient client : all) {
			client.closeGracefully(countdown);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Runs the callback when it has itself been run as many times as there are clients.
	 */
	private static final class Countdown implements Runnable {

		private final AtomicInteger remaining;

		private final Runnable callback;

		Countdown(int count, Runnable callback) {
			this.remaining = new AtomicInteger(count);
			this.callback = callback;
		}

		@Override
		public void run() {
			if (this.remaining.decrementAndGet() == 0) {
				this.callback.run();
			}
		}

	}

}
