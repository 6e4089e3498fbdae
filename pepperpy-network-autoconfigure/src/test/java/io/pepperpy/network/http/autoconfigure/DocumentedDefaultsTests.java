package io.pepperpy.network.http.autoconfigure;

import java.util.Map;
import java.util.Set;

import io.pepperpy.network.autoconfigure.DocumentedDefaults;
import io.pepperpy.network.http.HttpConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults the metadata (and so the IDE and {@code docs/properties.md}) shows for {@code pepperpy.network.http.*}
 * are those of {@link HttpConfig}, where they are written once: see {@link DocumentedDefaults}.
 */
class DocumentedDefaultsTests {

	/**
	 * Properties whose value in the configuration is {@code null} or empty unless set.
	 */
	private static final Set<String> WITHOUT_DEFAULT = Set.of("base-url", "clients", "deadline", "headers",
			"interceptors", "non-proxy-hosts", "oauth2.registration-id", "proxy", "rate-limit-timeout", "rate-limit.redis.key",
			"redact-headers", "redact-query-params", "ssl-bundle");

	/**
	 * Properties for all clients, which no configuration record holds; their default is the field's initialiser.
	 */
	private static final Set<String> NOT_OF_A_CLIENT = Set.of("allow-insecure-ssl", "health.enabled");

	private final Map<String, String> documented = DocumentedDefaults.under(PepperpyHttpProperties.PREFIX);

	@Test
	void everyDocumentedDefaultIsTheConfigurationsDefault() {
		assertThat(this.documented).isNotEmpty();
		this.documented.forEach((name, value) -> {
			if (value == null || NOT_OF_A_CLIENT.contains(name)) {
				return;
			}
			PepperpyHttpClientProperties properties = new PepperpyHttpClientProperties();
			String property = PepperpyHttpProperties.PREFIX + "." + name;
			boolean bound = new Binder(new MapConfigurationPropertySource(Map.of(property, value)))
				.bind(PepperpyHttpProperties.PREFIX, Bindable.ofInstance(properties))
				.isBound();
			assertThat(bound).as("%s binds", property).isTrue();
			assertThat(HttpClientPropertiesMapper.map(properties, HttpConfig.DEFAULT_NAME).build())
				.as("%s: the metadata's default %s is not HttpConfig's", property, value)
				.isEqualTo(HttpConfig.defaults());
		});
	}

	@Test
	void everyPropertyWithADefaultShowsIt() {
		assertThat(this.documented.entrySet()
			.stream()
			.filter((property) -> property.getValue() == null)
			.map(Map.Entry::getKey))
			.as("properties the metadata shows without a default")
			.containsExactlyInAnyOrderElementsOf(WITHOUT_DEFAULT);
	}

}
