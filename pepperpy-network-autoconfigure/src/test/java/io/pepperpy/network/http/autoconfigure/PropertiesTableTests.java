package io.pepperpy.network.http.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the properties table of {@code docs/properties.md} equal to the generated configuration metadata.
 */
class PropertiesTableTests {

	private static final String START = "<!-- properties:start -->";

	private static final String END = "<!-- properties:end -->";

	@Test
	void propertiesTableMatchesConfigurationMetadata() throws IOException {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata").isNotNull();
			metadata = JsonMapper.shared().readTree(in);
		}
		List<String> rows = new ArrayList<>();
		rows.add("| Name | Default | Description |");
		rows.add("| --- | --- | --- |");
		for (JsonNode property : metadata.get("properties")) {
			JsonNode defaultValue = property.get("defaultValue");
			String shown = "—";
			if (defaultValue != null && defaultValue.isArray()) {
				List<String> values = new ArrayList<>();
				defaultValue.forEach((value) -> values.add(value.asString()));
				shown = "`" + String.join(", ", values) + "`";
			}
			else if (defaultValue != null && !defaultValue.isNull()) {
				shown = "`" + defaultValue.asString() + "`";
			}
			rows.add("| `" + property.get("name").asString() + "` | " + shown + " | "
					+ property.get("description").asString() + " |");
		}
		String expected = String.join("\n", rows);
		String readme = Files.readString(Path.of("..", "docs", "properties.md"), StandardCharsets.UTF_8);
		String actual = readme.substring(readme.indexOf(START) + START.length(), readme.indexOf(END)).strip();
		Files.writeString(Path.of("target", "properties.md"), expected + "\n");
		assertThat(actual).as("docs/properties.md table (expected table written to target/properties.md)")
			.isEqualTo(expected);
	}

}
