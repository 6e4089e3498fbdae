package io.pepperpy.sample;

import java.util.Map;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;

/**
 * The PepperPy Network module's {@code APIClient} as a declarative interface, in the HTTP service group
 * {@code users} ({@link SampleApplication}), which the named client {@code users} serves.
 */
interface UsersApi {

	@GetExchange("/users/{id}")
	Map<String, Object> getUser(@PathVariable long id);

	@PostExchange("/users")
	Map<String, Object> createUser(@RequestBody Map<String, Object> user);

}
