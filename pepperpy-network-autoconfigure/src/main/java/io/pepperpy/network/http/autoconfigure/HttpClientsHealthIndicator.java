package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpClientState;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Opt-in health ({@code pepperpy.network.http.health.enabled=true}): {@code OUT_OF_SERVICE} while a client is
 * paused by a server's {@code Retry-After}, has spent its retry budget or has an open circuit breaker, {@code UP}
 * otherwise. It never sends a
 * request. Off by default because a failing downstream API should rarely take the application out of service.
 */
public class HttpClientsHealthIndicator extends AbstractHealthIndicator {

	private final ListableBeanFactory beanFactory;

	public HttpClientsHealthIndicator(ListableBeanFactory beanFactory) {
		super("HTTP clients health check failed");
		this.beanFactory = beanFactory;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.status(Status.UP);
		this.beanFactory.getBeansOfType(HttpClient.class).forEach((name, client) -> {
			HttpClientState state = client.state();
			boolean degraded = state.pausedFor().compareTo(Duration.ZERO) > 0 || state.retryBudgetRemaining() == 0
					|| "open".equals(state.circuitBreaker());
			if (degraded) {
				builder.status(Status.OUT_OF_SERVICE);
			}
			builder.withDetail(name, Map.of("pausedFor", state.pausedFor().toString(), "retryBudgetRemaining",
					state.retryBudgetRemaining(), "circuitBreaker", state.circuitBreaker()));
		});
	}

}
