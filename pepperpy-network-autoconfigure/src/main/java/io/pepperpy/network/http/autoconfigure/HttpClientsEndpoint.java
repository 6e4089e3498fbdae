package io.pepperpy.network.http.autoconfigure;

import java.util.Map;
import java.util.TreeMap;

import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpClientState;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/httpclients}: every {@link HttpClient} bean with its effective configuration (secrets
 * redacted) and live state (rate-limit pause, retry budget).
 */
@Endpoint(id = "httpclients")
public class HttpClientsEndpoint {

	private final ListableBeanFactory beanFactory;

	public HttpClientsEndpoint(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	/**
	 * Return every client's state, by bean name.
	 * @return the states
	 */
	@ReadOperation
	public Map<String, HttpClientState> clients() {
		Map<String, HttpClientState> states = new TreeMap<>();
		this.beanFactory.getBeansOfType(HttpClient.class).forEach((name, client) -> states.put(name, client.state()));
		return states;
	}

	/**
	 * Return one client's state.
	 * @param name the bean name
	 * @return the state, or {@code null} when there is no such client
	 */
	@ReadOperation
	public @Nullable HttpClientState client(@Selector String name) {
		return clients().get(name);
	}

}
