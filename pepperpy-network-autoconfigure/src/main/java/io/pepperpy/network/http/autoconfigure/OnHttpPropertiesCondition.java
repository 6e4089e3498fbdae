package io.pepperpy.network.http.autoconfigure;

import io.pepperpy.network.internal.autoconfigure.OnPropertiesUnderPrefixCondition;

import org.springframework.core.env.Environment;

/**
 * Matches when a property under {@code pepperpy.network.http} is set (or may be: a property source that cannot
 * list its names counts as setting one). Without any, binding {@link PepperpyHttpProperties} would only find its
 * defaults, at the cost of walking its some fifty properties through every property source at start-up.
 */
class OnHttpPropertiesCondition extends OnPropertiesUnderPrefixCondition {

	OnHttpPropertiesCondition() {
		super(PepperpyHttpProperties.PREFIX);
	}

	/**
	 * Return whether a property under {@code pepperpy.network.http} is set, or may be.
	 * @param environment the environment
	 * @return whether binding {@code pepperpy.network.http} may find anything
	 */
	static boolean anySet(Environment environment) {
		return anySet(environment, PepperpyHttpProperties.PREFIX);
	}

}
