package io.pepperpy.network.test.app;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A controller that has nothing to do with the clients: an {@code @HttpClientTest} must leave it out.
 */
@RestController
public class StatusController {

	@GetMapping("/status")
	public String status() {
		return "ok";
	}

}
