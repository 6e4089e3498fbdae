package io.pepperpy.network.tcp.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when a property under {@code pepperpy.network.tcp} is set (or may be: a property source that cannot
 * list its names counts as setting one). Without any, there is no TCP client to make (the default client needs a
 * host, a named one its {@code clients.<name>} entry), so the TCP auto-configuration, its properties included,
 * costs an application that does not use TCP nothing at start-up.
 */
class OnTcpPropertiesCondition extends SpringBootCondition {

	private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of(PepperpyTcpProperties.PREFIX);

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
			if (source.containsDescendantOf(PREFIX) != ConfigurationPropertyState.ABSENT) {
				return ConditionOutcome.match("a " + PepperpyTcpProperties.PREFIX + ".* property is set");
			}
		}
		return ConditionOutcome.noMatch("no " + PepperpyTcpProperties.PREFIX + ".* property is set");
	}

}
