package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.LoopbackWireMock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;

/**
 * The client observes its attempts as Boot observes its own WebClients: under
 * {@code management.observations.http.client.requests.name}, and with the application's
 * {@link ClientRequestObservationConvention} bean when there is one.
 */
class ObservationConventionTests {

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock().withoutResetBetweenTests();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
				WebClientAutoConfiguration.class))
		.withBean(TestObservationRegistry.class, () -> this.observations)
		// What Boot's WebClientObservationAutoConfiguration does for the registry.
		.withBean(WebClientCustomizer.class, () -> (builder) -> builder.observationRegistry(this.observations));

	@BeforeAll
	static void stub() {
		server.stubFor(get("/users/1").willReturn(okJson("{}")));
	}

	@Test
	void theObservationNameBootIsGivenIsUsed() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.base-url=http://127.0.0.1:" + server.port(),
					"management.observations.http.client.requests.name=partner.requests")
			.run((context) -> {
				context.getBean(HttpClient.class).get("/users/{id}", 1).retrieve().block(Duration.ofSeconds(10));
				assertThat(this.observations).hasObservationWithNameEqualTo("partner.requests")
					.that()
					.hasLowCardinalityKeyValue("client.name", "default")
					.hasLowCardinalityKeyValue("uri", "/users/{id}");
			});
	}

	@Test
	void theNameBootMappedIsUsed() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.base-url=http://127.0.0.1:" + server.port())
			.withBean(ObservationProperties.class, () -> {
				ObservationProperties properties = new ObservationProperties();
				properties.getHttp().getClient().getRequests().setName("mapped.requests");
				return properties;
			})
			.run((context) -> {
				context.getBean(HttpClient.class).get("/users/{id}", 1).retrieve().block(Duration.ofSeconds(10));
				assertThat(this.observations).hasObservationWithNameEqualTo("mapped.requests");
			});
	}

	@Test
	void theApplicationsConventionIsUsedInsteadOfOurs() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.base-url=http://127.0.0.1:" + server.port())
			.withBean(ClientRequestObservationConvention.class, TaggingConvention::new)
			.run((context) -> {
				context.getBean(HttpClient.class).get("/users/{id}", 1).retrieve().block(Duration.ofSeconds(10));
				assertThat(this.observations).hasObservationWithNameEqualTo("custom.requests")
					.that()
					.hasLowCardinalityKeyValue("team", "payments");
			});
	}

	static class TaggingConvention extends DefaultClientRequestObservationConvention {

		TaggingConvention() {
			super("custom.requests");
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(ClientRequestObservationContext context) {
			return super.getLowCardinalityKeyValues(context).and("team", "payments");
		}

	}

}
