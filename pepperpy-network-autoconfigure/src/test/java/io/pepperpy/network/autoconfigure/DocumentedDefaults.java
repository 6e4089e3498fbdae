package io.pepperpy.network.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The defaults the generated configuration metadata ({@code META-INF/spring-configuration-metadata.json}) shows,
 * the ones the IDE and {@code docs/properties.md} show. The properties are nullable, so the configuration processor
 * cannot see the defaults, which live in the configuration records; the metadata gets them from
 * {@code additional-spring-configuration-metadata.json}, and the tests that use this class pin that both agree.
 */
public final class DocumentedDefaults {

	private DocumentedDefaults() {
	}

	/**
	 * Return the properties under a prefix (named clients left out) with their documented default in the form a
	 * property source holds it (a list joined with commas), or {@code null} when the metadata shows none.
	 * @param prefix the prefix, such as {@code pepperpy.network.http}
	 * @return each property's name relative to the prefix, and its default
	 */
	public static Map<String, String> under(String prefix) {
		JsonNode metadata;
		try (InputStream in = DocumentedDefaults.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			if (in == null) {
				throw new IllegalStateException("no generated configuration metadata on the class path");
			}
			metadata = JsonMapper.shared().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Map<String, String> defaults = new LinkedHashMap<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			if (!name.startsWith(prefix + ".") || name.startsWith(prefix + ".clients.")) {
				continue;
			}
			JsonNode value = property.get("defaultValue");
			String shown = null;
			if (value != null && value.isArray()) {
				List<String> values = new ArrayList<>();
				value.forEach((element) -> values.add(element.asString()));
				shown = String.join(",", values);
			}
			else if (value != null && !value.isNull()) {
				shown = value.asString();
			}
			defaults.put(name.substring(prefix.length() + 1), shown);
		}
		return defaults;
	}

}
