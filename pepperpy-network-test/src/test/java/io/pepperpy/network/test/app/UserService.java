package io.pepperpy.network.test.app;

import java.time.Duration;
import java.util.Map;

import io.pepperpy.network.http.HttpClient;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Reads users through the named client {@code users}.
 */
@Service
public class UserService {

	private final HttpClient users;

	public UserService(@Qualifier("users") HttpClient users) {
		this.users = users;
	}

	@SuppressWarnings("unchecked")
	public Map<String, Object> user(long id) {
		return this.users.get("/users/{id}", id).retrieve(Map.class).block(Duration.ofSeconds(10));
	}

}
