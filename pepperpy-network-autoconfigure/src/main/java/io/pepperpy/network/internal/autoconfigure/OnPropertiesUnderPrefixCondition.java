package io.pepperpy.network.internal.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a property under a prefix is set, or may be: a property source that cannot list its names counts as
 * setting one. It exists because binding a prefix that nothing sets still walks every property of the bound class
 * through every property source, which costs an application that does not use a client start-up time; asking each
 * source whether it holds a descendant of the prefix is cheap. The HTTP and TCP properties conditions and the
 * named-clients registrar all ask it this way ({@link #anySet}).
 */
public abstract class OnPropertiesUnderPrefixCondition extends SpringBootCondition {

	private final String prefix;

	/**
	 * Create a condition.
	 * @param prefix the prefix, such as {@code pepperpy.network.http}
	 */
	protected OnPropertiesUnderPrefixCondition(String prefix) {
		this.prefix = prefix;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (anySet(context.getEnvironment(), this.prefix)) {
			return ConditionOutcome.match("a " + this.prefix + ".* property is set");
		}
		return ConditionOutcome.noMatch("no " + this.prefix + ".* property is set");
	}

	/**
	 * Return whether a property under a prefix is set, or may be.
	 * @param environment the environment
	 * @param prefix the prefix, such as {@code pepperpy.network.http.clients}
	 * @return whether binding the prefix may find anything
	 */
	public static boolean anySet(Environment environment, String prefix) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(prefix);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.containsDescendantOf(name) != ConfigurationPropertyState.ABSENT) {
				return true;
			}
		}
		return false;
	}

}
