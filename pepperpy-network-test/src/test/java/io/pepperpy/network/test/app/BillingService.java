package io.pepperpy.network.test.app;

import java.time.Duration;
import java.util.Map;

import io.pepperpy.network.http.HttpClient;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Charges users through the named client {@code billing}.
 */
@Service
public class BillingService {

	private final HttpClient billing;

	public BillingService(@Qualifier("billing") HttpClient billing) {
		this.billing = billing;
	}

	@SuppressWarnings("unchecked")
	public Map<String, Object> charge(long userId, int cents) {
		return this.billing.post("/charges")
			.json(Map.of("user", userId, "cents", cents))
			.retrieve(Map.class)
			.block(Duration.ofSeconds(10));
	}

}
