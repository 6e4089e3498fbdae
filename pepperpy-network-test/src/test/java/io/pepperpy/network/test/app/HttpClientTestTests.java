package io.pepperpy.network.test.app;

import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.test.HttpClientTest;
import io.pepperpy.network.test.MockHttpServers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link HttpClientTest @HttpClientTest} slice: the listed component, the clients and their mock servers, and
 * nothing else of the application.
 */
@HttpClientTest(components = UserService.class, properties = "pepperpy.network.http.clients.users.retries=2")
class HttpClientTestTests {

	@Autowired
	private UserService userService;

	@Autowired
	private MockHttpServers servers;

	@Autowired
	private ApplicationContext context;

	@Autowired
	@Qualifier("users")
	private HttpClient users;

	@Test
	void callsTheListedComponentsApiThroughItsMockServer() {
		this.servers.get("users").stubFor(get("/api/users/7").willReturn(okJson("{\"id\":7,\"name\":\"Grace\"}")));
		assertThat(this.userService.user(7)).containsEntry("name", "Grace");
		this.servers.get("users").verify(getRequestedFor(urlEqualTo("/api/users/7"))
			.withHeader("X-Client", equalTo("users"))
			.withHeader("X-Trace", equalTo("test")));
	}

	@Test
	void leavesOutTheComponentsNotListed() {
		assertThat(this.context.getBeanNamesForType(BillingService.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(StatusController.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(TraceInterceptor.class)).hasSize(1);
	}

	@Test
	void keepsEveryNamedClientOfApplicationYml() {
		assertThat(this.context.containsBean("billingHttpClient")).isTrue();
		assertThat(this.servers.clientNames()).containsExactlyInAnyOrder("default", "users", "billing");
	}

	@Test
	void addsTheAnnotationsProperties() {
		assertThat(this.users.config().retry().settings().maxRetries()).isEqualTo(2);
		assertThat(this.users.config().baseUrl()).isEqualTo(this.servers.get("users").baseUrl() + "/api");
	}

	@Test
	void appliesOnlyTheSlicesAutoConfigurations() {
		assertThat(this.context.getBeanDefinitionNames()).noneMatch((name) -> name.contains("TaskExecution")
				|| name.contains("taskExecutor") || name.contains("applicationTaskExecutor"));
	}

}
