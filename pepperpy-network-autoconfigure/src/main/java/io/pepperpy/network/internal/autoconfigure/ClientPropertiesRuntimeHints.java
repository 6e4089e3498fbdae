package io.pepperpy.network.internal.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * Reflection hints for the properties classes a named client's settings are bound into at run time (its
 * properties overlaid on the defaults, outside {@code @ConfigurationProperties}), so that binding works in a
 * native image too.
 */
public final class ClientPropertiesRuntimeHints implements RuntimeHintsRegistrar {

	private static final String[] BOUND = { "io.pepperpy.network.http.autoconfigure.PepperpyHttpClientProperties",
			"io.pepperpy.network.tcp.autoconfigure.TcpClientProperties" };

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
		for (String name : BOUND) {
			if (ClassUtils.isPresent(name, classLoader)) {
				binding.registerReflectionHints(hints.reflection(), ClassUtils.resolveClassName(name, classLoader));
			}
		}
	}

}
