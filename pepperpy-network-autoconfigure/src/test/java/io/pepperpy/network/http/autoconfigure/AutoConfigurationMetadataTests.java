package io.pepperpy.network.http.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every auto-configuration of ours has its conditions in {@code META-INF/spring-autoconfigure-metadata.properties}
 * (written by {@code spring-boot-autoconfigure-processor}), so Boot can skip one whose classes are missing, and order
 * them, without reading the class.
 */
class AutoConfigurationMetadataTests {

	@Test
	void everyAutoConfigurationOfOursHasItsConditionsInTheMetadata() throws IOException {
		ClassLoader classLoader = getClass().getClassLoader();
		List<String> ours = ImportCandidates.load(AutoConfiguration.class, classLoader)
			.getCandidates()
			.stream()
			.filter((name) -> name.startsWith("io.pepperpy.network."))
			.toList();
		assertThat(ours).hasSize(5);
		Properties metadata = new Properties();
		Enumeration<URL> files = classLoader.getResources("META-INF/spring-autoconfigure-metadata.properties");
		while (files.hasMoreElements()) {
			try (InputStream in = files.nextElement().openStream()) {
				metadata.load(in);
			}
		}
		assertThat(ours).allSatisfy((name) -> {
			assertThat(metadata).containsKey(name);
			assertThat(metadata.getProperty(name + ".ConditionalOnClass")).as(name).isNotBlank();
		});
		assertThat(metadata.getProperty(PepperpyHttpClientAutoConfiguration.class.getName() + ".AutoConfigureAfter"))
			.contains("org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration");
	}

}
