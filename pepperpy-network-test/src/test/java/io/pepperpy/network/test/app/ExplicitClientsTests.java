package io.pepperpy.network.test.app;

import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.test.AutoConfigureMockHttpServers;
import io.pepperpy.network.test.MockHttpServers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AutoConfigureMockHttpServers#clients()} limits the servers to the listed clients (and the default one),
 * and declares a client the environment does not.
 */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockHttpServers({ "users", "orders" })
class ExplicitClientsTests {

	@Autowired
	private MockHttpServers servers;

	@Autowired
	@Qualifier("billing")
	private HttpClient billing;

	@Autowired
	@Qualifier("orders")
	private HttpClient orders;

	@Test
	void startsServersOnlyForTheListedClients() {
		assertThat(this.servers.clientNames()).containsExactlyInAnyOrder("default", "users", "orders");
		assertThat(this.billing.config().baseUrl()).isEqualTo("https://billing.example.com");
		assertThat(this.orders.config().baseUrl()).isEqualTo(this.servers.get("orders").baseUrl());
	}

}
