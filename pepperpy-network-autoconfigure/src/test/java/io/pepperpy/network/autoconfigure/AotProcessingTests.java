package io.pepperpy.network.autoconfigure;

import java.util.Map;

import io.pepperpy.network.http.autoconfigure.PepperpyHttpClientAutoConfiguration;
import io.pepperpy.network.http.autoconfigure.PepperpyHttpServiceGroupsAutoConfiguration;
import io.pepperpy.network.tcp.autoconfigure.PepperpyTcpClientAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ahead-of-time processing (what {@code spring-boot:process-aot} runs) of an application with named HTTP and TCP
 * clients: it used to fail with "instance supplier is not supported" as soon as one named client existed.
 */
class AotProcessingTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PepperpyHttpClientAutoConfiguration.class,
				PepperpyHttpServiceGroupsAutoConfiguration.class, PepperpyTcpClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, JacksonAutoConfiguration.class));

	@Test
	void namedClientsAreWrittenOutAsCode() {
		this.contextRunner
			.withPropertyValues("pepperpy.network.http.clients.users.base-url=http://localhost:8080",
					"pepperpy.network.tcp.host=localhost", "pepperpy.network.tcp.port=7000",
					"pepperpy.network.tcp.clients.cache.port=7001")
			.prepare((context) -> {
				GenericApplicationContext application = (GenericApplicationContext) context
					.getSourceApplicationContext();
				InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
				DefaultGenerationContext generation = new DefaultGenerationContext(
						new ClassNameGenerator(ClassName.get("com.example", "AotTestApplication")), files);
				ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(application,
						generation);
				generation.writeGeneratedContent();
				assertThat(initializer).isNotNull();
				Map<String, ?> sources = files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE);
				String code = String.join("\n", sources.keySet().stream().map((path) -> {
					try {
						return files.getGeneratedFileContent(GeneratedFiles.Kind.SOURCE, path);
					}
					catch (java.io.IOException ex) {
						throw new IllegalStateException(ex);
					}
				}).toList());
				assertThat(code).contains("getUsersHttpClientBeanDefinition")
					.contains("new NamedHttpClientsRegistrar.NamedHttpClientFactoryBean(args.get(0))")
					.contains("addIndexedArgumentValue(0, \"users\")")
					.contains("getCacheTcpClientBeanDefinition")
					.contains("new NamedTcpClientsRegistrar.NamedTcpClientFactoryBean(args.get(0))")
					.contains("addIndexedArgumentValue(0, \"cache\")");
				assertThat(RuntimeHintsPredicates.reflection()
					.onType(io.pepperpy.network.http.autoconfigure.PepperpyHttpClientProperties.class))
					.accepts(generation.getRuntimeHints());
			});
	}

}
