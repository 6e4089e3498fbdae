package io.pepperpy.network.http.autoconfigure;

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
 * Matches when a property under {@code pepperpy.network.http} is set (or may be: a property source that cannot
 * list its names counts as setting one). Without any, binding {@link PepperpyHttpProperties} would only find its
 * defaults, at the cost of walking its some fifty properties through every property source at start-up.
 */
class OnHttpPropertiesCondition extends SpringBootCondition {

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of(PepperpyHttpProperties.PREFIX);

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		if (anySet(context.getEnvironment())) {
			return ConditionOutcome.match("a " + PepperpyHttpProperties.PREFIX + ".* property is set");
		}
		return ConditionOutcome.noMatch("no " + PepperpyHttpProperties.PREFIX + ".* property is set");
	}

	/**
	 * Return whether a property under {@code pepperpy.network.http} is set, or may be.
	 * @param environment the environment
	 * @return whether binding {@code pepperpy.network.http} may find anything
	 */
	static boolean anySet(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.containsDescendantOf(PREFIX) != ConfigurationPropertyState.ABSENT) {
				return true;
			}
		}
		return false;
	}

}
