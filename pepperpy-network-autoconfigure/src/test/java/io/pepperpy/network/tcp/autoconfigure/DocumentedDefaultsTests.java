package io.pepperpy.network.tcp.autoconfigure;

import java.util.Map;
import java.util.Set;

import io.pepperpy.network.autoconfigure.DocumentedDefaults;
import io.pepperpy.network.tcp.TcpConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults the metadata (and so the IDE and {@code docs/properties.md}) shows for {@code pepperpy.network.tcp.*}
 * are those of {@link TcpConfig}, where they are written once: see {@link DocumentedDefaults}.
 */
class DocumentedDefaultsTests {

	/**
	 * Properties whose value in the configuration is {@code null} unless set.
	 */
	private static final Set<String> WITHOUT_DEFAULT = Set.of("clients", "deadline", "delimiter", "host", "port",
			"rate-limit-timeout", "ssl-bundle");

	/**
	 * Properties for all clients, which no configuration record holds; their default is the field's initialiser.
	 */
	private static final Set<String> NOT_OF_A_CLIENT = Set.of("allow-insecure-ssl");

	private final Map<String, String> documented = DocumentedDefaults.under(PepperpyTcpProperties.PREFIX);

	@Test
	void everyDocumentedDefaultIsTheConfigurationsDefault() {
		assertThat(this.documented).isNotEmpty();
		TcpConfig defaults = TcpConfig.builder().host("localhost").port(7000).build();
		this.documented.forEach((name, value) -> {
			if (value == null || NOT_OF_A_CLIENT.contains(name)) {
				return;
			}
			TcpClientProperties properties = new TcpClientProperties();
			properties.setHost("localhost");
			properties.setPort(7000);
			String property = PepperpyTcpProperties.PREFIX + "." + name;
			boolean bound = new Binder(new MapConfigurationPropertySource(Map.of(property, value)))
				.bind(PepperpyTcpProperties.PREFIX, Bindable.ofInstance(properties))
				.isBound();
			assertThat(bound).as("%s binds", property).isTrue();
			assertThat(TcpClientPropertiesMapper.map(properties, TcpConfig.DEFAULT_NAME).build())
				.as("%s: the metadata's default %s is not TcpConfig's", property, value)
				.isEqualTo(defaults);
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
