package io.pepperpy.network.tcp.autoconfigure;

import io.pepperpy.network.internal.autoconfigure.OnPropertiesUnderPrefixCondition;

/**
 * Matches when a property under {@code pepperpy.network.tcp} is set (or may be: a property source that cannot
 * list its names counts as setting one). Without any, there is no TCP client to make (the default client needs a
 * host, a named one its {@code clients.<name>} entry), so the TCP auto-configuration, its properties included,
 * costs an application that does not use TCP nothing at start-up.
 */
class OnTcpPropertiesCondition extends OnPropertiesUnderPrefixCondition {

	OnTcpPropertiesCondition() {
		super(PepperpyTcpProperties.PREFIX);
	}

}
