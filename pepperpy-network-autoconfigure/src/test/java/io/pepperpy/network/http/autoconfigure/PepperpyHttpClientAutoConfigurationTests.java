package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.pepperpy.network.http.ConnectionPool;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;
import io.pepperpy.network.http.InterceptedRequest;
import io.pepperpy.network.http.LoopbackWireMock;
import io.pepperpy.network.http.RequestInterceptor;
import io.pepperpy.network.http.ResponseFormat;
import io.pepperpy.network.http.RetryPredicate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PepperpyHttpClientAutoConfiguration} in a real application context.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class PepperpyHttpClientAutoConfigurationTests {

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, JacksonAutoConfiguration.class));

	private static String baseUrl() {
		return "http://127.0.0.1:" + server.port();
	}

	@Test
	void defaultsAreTheBriefs() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(HttpClient.class).hasBean("pepperpyHttpClient");
			HttpConfig config = context.getBean(HttpConfig.class);
			assertThat(config).isEqualTo(HttpConfig.builder().build());
		});
	}

	@Test
	void withoutAnyPropertyNothingIsBoundAndTheDefaultsAreValid() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(PepperpyHttpProperties.class);
			PepperpyHttpProperties defaults = new PepperpyHttpProperties();
			BeanPropertyBindingResult errors = new BeanPropertyBindingResult(defaults, PepperpyHttpProperties.PREFIX);
			defaults.validate(defaults, errors);
			assertThat(errors.getAllErrors()).as("binding nothing must skip no check").isEmpty();
		});
	}

	/**
	 * Any property binds them, and checks them: see {@link #invalidValuesFailStartupNamingPropertyAndValue()}.
	 */
	@Test
	void anyPropertyBindsTheProperties() {
		this.contextRunner.withPropertyValues("pepperpy.network.http.retries=2").run((context) -> {
			assertThat(context).hasSingleBean(PepperpyHttpProperties.class);
			assertThat(context.getBean(HttpConfig.class).retry().settings().maxRetries()).isEqualTo(2);
		});
	}

	@Test
	void propertiesBindWithBareNumbersAsSeconds() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.base-url=https://api.example.com",
					"pepperpy.network.http.headers.Authorization=Bearer token",
					"pepperpy.network.http.headers.User-Agent=PepperPy/1.0", "pepperpy.network.http.timeout=12",
					"pepperpy.network.http.connect-timeout=500ms", "pepperpy.network.http.retries=5",
					"pepperpy.network.http.retry-delay=2", "pepperpy.network.http.verify-ssl=false",
					"pepperpy.network.http.response-format=text", "pepperpy.network.http.raise-for-status=false",
					"pepperpy.network.http.max-rate-limit=100", "pepperpy.network.http.rate-limit-timeout=3",
					"pepperpy.network.http.proxy=http://proxy.example.com:8080",
					"pepperpy.network.http.max-in-memory-size=1MB")
			.run((context) -> {
				HttpConfig config = context.getBean(HttpConfig.class);
				assertThat(config.baseUrl()).isEqualTo("https://api.example.com");
				assertThat(config.headers()).containsEntry("Authorization", "Bearer token")
					.containsEntry("User-Agent", "PepperPy/1.0");
				assertThat(config.timeouts().attempt()).isEqualTo(Duration.ofSeconds(12));
				assertThat(config.timeouts().connect()).isEqualTo(Duration.ofMillis(500));
				assertThat(config.retry().settings().maxRetries()).isEqualTo(5);
				assertThat(config.retry().settings().delay()).isEqualTo(Duration.ofSeconds(2));
				assertThat(config.transport().verifySsl()).isFalse();
				assertThat(config.decoding().format()).isEqualTo(ResponseFormat.TEXT);
				assertThat(config.decoding().raiseForStatus()).isFalse();
				assertThat(config.rateLimit().maxPerSecond()).isEqualTo(100);
				assertThat(config.rateLimit().timeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(config.transport().proxy()).isEqualTo("http://proxy.example.com:8080");
				assertThat(config.decoding().maxInMemorySize()).isEqualTo(1024 * 1024);
			});
	}

	@Test
	void resiliencePropertiesBind() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.deadline=20", "pepperpy.network.http.retry-on-status=500,503",
					"pepperpy.network.http.retry-non-idempotent=true",
					"pepperpy.network.http.retry-backoff-multiplier=2.5", "pepperpy.network.http.retry-max-delay=10",
					"pepperpy.network.http.retry-jitter=100ms", "pepperpy.network.http.retry-after-max=30",
					"pepperpy.network.http.retry-budget-percent=50",
					"pepperpy.network.http.retry-budget-min-per-second=3")
			.withBean(RetryPredicate.class, () -> (method, url, failure, byDefault) -> byDefault)
			.run((context) -> {
				HttpConfig config = context.getBean(HttpConfig.class);
				assertThat(config.timeouts().deadline()).isEqualTo(Duration.ofSeconds(20));
				assertThat(config.retry().onStatus()).containsExactlyInAnyOrder(500, 503);
				assertThat(config.retry().nonIdempotent()).isTrue();
				assertThat(config.retry().settings().multiplier()).isEqualTo(2.5);
				assertThat(config.retry().settings().maxDelay()).isEqualTo(Duration.ofSeconds(10));
				assertThat(config.retry().settings().jitter()).isEqualTo(Duration.ofMillis(100));
				assertThat(config.retry().afterMax()).isEqualTo(Duration.ofSeconds(30));
				assertThat(config.retry().budgetPercent()).isEqualTo(50);
				assertThat(config.retry().budgetMinPerSecond()).isEqualTo(3);
				assertThat(config.retry().predicate()).isSameAs(context.getBean(RetryPredicate.class));
			});
	}

	@Test
	void clientMetersGoToTheMeterRegistryBean() {
		server.stubFor(get("/m").willReturn(okJson("{}")));
		this.contextRunner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("pepperpy.network.http.base-url=" + baseUrl())
			.run((context) -> {
				context.getBean(HttpClient.class).get("/m").retrieve().block(Duration.ofSeconds(10));
				assertThat(context.getBean(SimpleMeterRegistry.class)
					.get("pepperpy.http.client.attempts")
					.tags("client", "default", "uri", "/m", "status", "200")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void customizerBeansAndObservationRegistryApply() {
		server.stubFor(get("/c").willReturn(okJson("{}")));
		io.micrometer.observation.tck.TestObservationRegistry observations = io.micrometer.observation.tck.TestObservationRegistry
			.create();
		this.contextRunner
			.withBean(io.pepperpy.network.http.HttpClientCustomizer.class,
					() -> (name, builder) -> builder.defaultHeader("X-Customized", name))
			.withBean(io.micrometer.observation.ObservationRegistry.class, () -> observations)
			.withPropertyValues("pepperpy.network.http.base-url=" + baseUrl())
			.run((context) -> {
				context.getBean(HttpClient.class).get("/c").retrieve().block(Duration.ofSeconds(10));
				server.verify(getRequestedFor(urlEqualTo("/c")).withHeader("X-Customized", equalTo("default")));
				io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat(observations)
					.hasObservationWithNameEqualTo("pepperpy.http.client.call");
			});
	}

	@Test
	void verifySslFalseLogsAWarningNamingTheClient(
			org.springframework.boot.test.system.CapturedOutput output) {
		this.contextRunner.withPropertyValues("pepperpy.network.http.verify-ssl=false")
			.run((context) -> assertThat(output)
				.contains("HTTP client 'default' does not verify TLS certificates or host names"));
	}

	@Test
	void insecureSslCanBeForbiddenGlobally() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.allow-insecure-ssl=false", "pepperpy.network.http.verify-ssl=false")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("verify-ssl: false is forbidden by pepperpy.network.http.allow-insecure-ssl"));
	}

	@Test
	void poolRedirectAndHttp2PropertiesBind() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.pool.max-connections=20",
					"pepperpy.network.http.pool.pending-acquire-max-count=-1",
					"pepperpy.network.http.pool.pending-acquire-timeout=2", "pepperpy.network.http.pool.max-idle-time=3",
					"pepperpy.network.http.pool.max-life-time=60", "pepperpy.network.http.pool.eviction-interval=1",
					"pepperpy.network.http.http2=true", "pepperpy.network.http.follow-redirects=true",
					"pepperpy.network.http.max-redirects=2")
			.run((context) -> {
				HttpConfig config = context.getBean(HttpConfig.class);
				assertThat(config.transport().pool()).isEqualTo(new ConnectionPool(20, -1, Duration.ofSeconds(2),
						Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(1)));
				assertThat(config.transport().http2()).isTrue();
				assertThat(config.redirects().follow()).isTrue();
				assertThat(config.redirects().max()).isEqualTo(2);
			});
		this.contextRunner.withPropertyValues("pepperpy.network.http.pool.max-connections=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("pool.max-connections must be 1 or more but was 0"));
	}

	@Test
	void backsOffWhenTheUserDefinesTheClient() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HttpClient.class).doesNotHaveBean("pepperpyHttpClient");
			assertThat(context.getBean(HttpClient.class).config().name()).isEqualTo("mine");
		});
	}

	@Test
	void backsOffWhenTheUserDefinesTheConfig() {
		this.contextRunner.withUserConfiguration(UserConfigConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(HttpConfig.class);
			assertThat(context.getBean(HttpClient.class).config().retry().settings().maxRetries()).isEqualTo(9);
		});
	}

	@Test
	void doesNotCollideWithAUserBeanNamedHttpClient() {
		this.contextRunner.withUserConfiguration(JdkHttpClientConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(HttpClient.class);
			assertThat(context.getBean("httpClient")).isInstanceOf(java.net.http.HttpClient.class);
		});
	}

	@Test
	void backsOffWithoutWebClient() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebClient.class))
			.run((context) -> assertThat(context).doesNotHaveBean(HttpClient.class).doesNotHaveBean(HttpConfig.class));
	}

	@Test
	void worksWithoutBootsWebClientBuilder() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(HttpClient.class));
	}

	@Test
	void interceptorBeansApplyInOrderAndBootsCustomizersApply() {
		server.stubFor(get("/users").willReturn(okJson("[]")));
		this.contextRunner.withUserConfiguration(InterceptorConfiguration.class)
			.withPropertyValues("pepperpy.network.http.base-url=" + baseUrl(),
					"pepperpy.network.http.headers.X-Default=yes")
			.run((context) -> {
				HttpConfig config = context.getBean(HttpConfig.class);
				assertThat(config.interceptors()).extracting((interceptor) -> interceptor.getClass().getSimpleName())
					.containsExactly("First", "Second");
				assertThat(context.getBean(HttpClient.class).get("/users").retrieve().block(Duration.ofSeconds(10)))
					.isEqualTo(List.of());
				server.verify(getRequestedFor(urlEqualTo("/users")).withHeader("X-Order", equalTo("first,second"))
					.withHeader("X-Default", equalTo("yes"))
					.withHeader("X-Customizer", equalTo("applied")));
			});
	}

	@Test
	void invalidValuesFailStartupNamingPropertyAndValue() {
		Map<String, String> cases = Map.of("pepperpy.network.http.retries=-1", "retries",
				"pepperpy.network.http.max-rate-limit=-3", "max-rate-limit",
				"pepperpy.network.http.base-url=api.example.com", "base-url",
				"pepperpy.network.http.response-format=xml", "response-format",
				"pepperpy.network.http.timeout=-5", "timeout", "pepperpy.network.http.retry-delay=soon",
				"retry-delay", "pepperpy.network.http.retry-backoff-multiplier=0.5", "retry-backoff-multiplier",
				"pepperpy.network.http.retry-on-status=700", "retry-on-status",
				"pepperpy.network.http.deadline=0", "deadline");
		cases.forEach((property, name) -> this.contextRunner.withPropertyValues(property).run((context) -> {
			assertThat(context).hasFailed();
			String value = property.substring(property.indexOf('=') + 1);
			Throwable failure = context.getStartupFailure();
			StringBuilder messages = new StringBuilder();
			for (Throwable ex = failure; ex != null; ex = ex.getCause()) {
				messages.append(ex.getMessage()).append('\n');
			}
			assertThat(messages.toString()).as(property).contains("pepperpy.network.http." + name).contains(value);
		}));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		HttpClient myClient() {
			return HttpClient.create(HttpConfig.builder().name("mine").build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConfigConfiguration {

		@Bean
		HttpConfig myConfig() {
			return HttpConfig.builder().retries(9).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JdkHttpClientConfiguration {

		@Bean
		java.net.http.HttpClient httpClient() {
			return java.net.http.HttpClient.newHttpClient();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InterceptorConfiguration {

		@Bean
		@Order(2)
		Second second() {
			return new Second();
		}

		@Bean
		@Order(1)
		First first() {
			return new First();
		}

		@Bean
		WebClientCustomizer headerCustomizer() {
			return (builder) -> builder.filter((request, next) -> next
				.exchange(ClientRequest.from(request).header("X-Customizer", "applied").build()));
		}

	}

	static class First implements RequestInterceptor {

		@Override
		public Mono<Void> preRequest(InterceptedRequest request) {
			request.headers().set("X-Order", "first");
			return Mono.empty();
		}

	}

	static class Second implements RequestInterceptor {

		@Override
		public Mono<Void> preRequest(InterceptedRequest request) {
			request.headers().set("X-Order", request.headers().getFirst("X-Order") + ",second");
			return Mono.empty();
		}

	}

}
