package io.pepperpy.network.test;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Creates a {@link MockHttpServersContextCustomizer} for test classes annotated (directly, through a slice
 * annotation or on an enclosing class) with {@link AutoConfigureMockHttpServers}.
 */
class MockHttpServersContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		AutoConfigureMockHttpServers annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureMockHttpServers.class);
		if (annotation == null) {
			return null;
		}
		return new MockHttpServersContextCustomizer(new LinkedHashSet<>(Arrays.asList(annotation.clients())));
	}

}
