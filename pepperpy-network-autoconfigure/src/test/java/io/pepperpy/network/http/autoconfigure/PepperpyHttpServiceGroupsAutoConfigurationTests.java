package io.pepperpy.network.http.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.LoopbackWireMock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.ImportHttpServices;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PepperpyHttpServiceGroupsAutoConfiguration}: an application that declares its HTTP interfaces
 * only with {@code @ImportHttpServices} groups and its partners only in YAML gets the named clients' base URL,
 * headers, retries, meters and typed errors on its interface calls, for both client types.
 */
class PepperpyHttpServiceGroupsAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
				PepperpyHttpServiceGroupsAutoConfiguration.class, WebClientAutoConfiguration.class,
				JacksonAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class);

	private static String http() {
		return "http://127.0.0.1:" + server.port();
	}

	interface UsersApi {

		@GetExchange("/users/{id}")
		Map<String, Object> user(@PathVariable int id);

		@PostExchange("/users")
		Map<String, Object> create(@RequestBody Map<String, Object> user);

	}

	interface BillingApi {

		@GetExchange("/invoices/{id}")
		Mono<Map<String, Object>> invoice(@PathVariable int id);

		@PostExchange(url = "/invoices/search", contentType = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
		Mono<Void> search(@RequestParam MultiValueMap<String, String> form);

		@PostExchange("/invoices/upload")
		Mono<Void> upload(@RequestPart("file") ByteArrayResource file, @RequestPart("lines") Flux<String> lines);

		@GetExchange(url = "/invoices/feed", accept = "application/x-ndjson")
		Flux<Map<String, Object>> feed();

		@GetExchange(url = "/invoices/ticks", accept = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<ServerSentEvent<String>> ticks();

	}

	interface StatusApi {

		@GetExchange("/status")
		Map<String, Object> status();

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "users", types = UsersApi.class)
	@ImportHttpServices(group = "billing", types = BillingApi.class, clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
	static class GroupsConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(StatusApi.class)
	static class DefaultGroupConfiguration {

	}

	@Test
	void aRestClientGroupIsServedByTheNamedClientOfItsName() {
		stubFlaky("/api/users/7", okJson("{\"id\":7}"));
		this.contextRunner.withUserConfiguration(GroupsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + http() + "/api",
					"pepperpy.network.http.clients.users.headers.X-Api-Key=k1",
					"pepperpy.network.http.clients.users.retry-delay=10ms",
					"pepperpy.network.http.clients.billing.base-url=" + http())
			.run((context) -> {
				assertThat(context.getBean(UsersApi.class).user(7)).containsEntry("id", 7);
				server.verify(2, getRequestedFor(urlEqualTo("/api/users/7")).withHeader("X-Api-Key", equalTo("k1")));
				assertThat(context.getBean(SimpleMeterRegistry.class)
					.get("pepperpy.http.client.calls")
					.tags("client", "users", "uri", "/users/{id}", "status", "200")
					.timer()
					.count()).isEqualTo(1);
				assertThat(context.getBean(SimpleMeterRegistry.class)
					.get("pepperpy.http.client.retries")
					.tags("client", "users")
					.counter()
					.count()).isEqualTo(1.0);
			});
	}

	@Test
	void aWebClientGroupIsServedByTheNamedClientOfItsName() {
		stubFlaky("/invoices/3", okJson("{\"id\":3}"));
		this.contextRunner.withUserConfiguration(GroupsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + http(),
					"pepperpy.network.http.clients.billing.base-url=" + http(),
					"pepperpy.network.http.clients.billing.retry-delay=10ms")
			.run((context) -> {
				assertThat(context.getBean(BillingApi.class).invoice(3).block(WAIT)).containsEntry("id", 3);
				server.verify(2, getRequestedFor(urlEqualTo("/invoices/3")));
				assertThat(context.getBean(SimpleMeterRegistry.class)
					.get("pepperpy.http.client.calls")
					.tags("client", "billing", "uri", "/invoices/{id}")
					.timer()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void aPostIsNotRetriedAndItsStatusIsATypedError() {
		server.stubFor(post("/users").willReturn(aResponse().withStatus(503).withBody("busy")));
		this.contextRunner.withUserConfiguration(GroupsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + http(),
					"pepperpy.network.http.clients.billing.base-url=" + http())
			.run((context) -> {
				assertThatExceptionOfType(NetworkException.class)
					.isThrownBy(() -> context.getBean(UsersApi.class).create(Map.of("name", "Ann")))
					.satisfies((ex) -> {
						assertThat(ex.status()).isEqualTo(503);
						assertThat(ex.getMessage()).contains("not idempotent");
					});
				server.verify(1, postRequestedFor(urlEqualTo("/users")));
			});
	}

	@Test
	void theDefaultGroupIsServedByTheDefaultClient() {
		server.stubFor(get("/status").willReturn(okJson("{\"up\":true}")));
		this.contextRunner.withUserConfiguration(DefaultGroupConfiguration.class)
			.withPropertyValues("pepperpy.network.http.base-url=" + http(),
					"pepperpy.network.http.headers.X-Default=yes")
			.run((context) -> {
				assertThat(context.getBean(StatusApi.class).status()).containsEntry("up", true);
				server.verify(getRequestedFor(urlEqualTo("/status")).withHeader("X-Default", equalTo("yes")));
			});
	}

	@Test
	void aGroupSettingTheClientWouldIgnoreFailsStartUp() {
		this.contextRunner.withUserConfiguration(GroupsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + http() + "/api",
					"pepperpy.network.http.clients.billing.base-url=" + http(),
					"spring.http.serviceclient.users.base-url=http://other.example",
					"spring.http.serviceclient.users.read-timeout=5s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("HTTP service group 'users' is served by pepperpy.network.http.clients.users")
					.hasMessageContaining("spring.http.serviceclient.users.base-url is set: set "
							+ "pepperpy.network.http.clients.users.base-url instead")
					.hasMessageContaining("spring.http.serviceclient.users.read-timeout is set: set "
							+ "pepperpy.network.http.clients.users.timeout instead");
			});
	}

	@Test
	void theSameBaseUrlInBothPlacesIsNoConflict() {
		server.stubFor(get("/users/1").willReturn(okJson("{\"id\":1}")));
		this.contextRunner.withUserConfiguration(GroupsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + http(),
					"pepperpy.network.http.clients.billing.base-url=" + http(),
					"spring.http.serviceclient.users.base-url=" + http())
			.run((context) -> assertThat(context.getBean(UsersApi.class).user(1)).containsEntry("id", 1));
	}

	@Test
	void formsMultipartAndStreamsGoThroughAGroupAsSpringSendsThem() {
		server.stubFor(post("/invoices/search").willReturn(aResponse().withStatus(204)));
		server.stubFor(post("/invoices/upload").willReturn(aResponse().withStatus(204)));
		server.stubFor(get("/invoices/feed").willReturn(aResponse()
			.withHeader(HttpHeaders.CONTENT_TYPE, "application/x-ndjson")
			.withBody("{\"n\":1}\n{\"n\":2}\n")));
		server.stubFor(get("/invoices/ticks").willReturn(aResponse()
			.withHeader(HttpHeaders.CONTENT_TYPE, MediaType.TEXT_EVENT_STREAM_VALUE)
			.withBody("data:a\n\ndata:b\n\n")));
		this.contextRunner.withUserConfiguration(GroupsConfiguration.class)
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=" + server.http(),
					"pepperpy.network.http.clients.billing.base-url=" + server.http())
			.run((context) -> {
				BillingApi billing = context.getBean(BillingApi.class);
				MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
				form.add("customer", "ann");
				billing.search(form).block(WAIT);
				billing.upload(new ByteArrayResource("pdf".getBytes(StandardCharsets.UTF_8)) {

					@Override
					public String getFilename() {
						return "invoice.pdf";
					}

				}, Flux.just("a", "b")).block(WAIT);
				assertThat(billing.feed().collectList().block(WAIT)).extracting((item) -> item.get("n"))
					.containsExactly(1, 2);
				assertThat(billing.ticks().collectList().block(WAIT)).extracting(ServerSentEvent::data)
					.containsExactly("a", "b");
				server.verify(postRequestedFor(urlEqualTo("/invoices/search"))
					.withHeader(HttpHeaders.CONTENT_TYPE, containing(MediaType.APPLICATION_FORM_URLENCODED_VALUE))
					.withRequestBody(equalTo("customer=ann")));
				server.verify(postRequestedFor(urlEqualTo("/invoices/upload"))
					.withRequestBodyPart(aMultipart("file").withBody(equalTo("pdf")).build())
					.withRequestBodyPart(aMultipart("lines").withBody(equalTo("ab")).build()));
			});
	}

	private static void stubFlaky(String path,
			com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder finally_) {
		server.stubFor(get(path).inScenario(path)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(503))
			.willSetStateTo("up"));
		server.stubFor(get(path).inScenario(path).whenScenarioStateIs("up").willReturn(finally_));
	}

}
