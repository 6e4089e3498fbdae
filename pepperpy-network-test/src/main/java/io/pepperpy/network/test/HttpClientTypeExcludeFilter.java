package io.pepperpy.network.test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.pepperpy.network.http.HttpClientCustomizer;
import io.pepperpy.network.http.RequestInterceptor;

import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;

/**
 * Type exclude filter of {@link HttpClientTest @HttpClientTest}: it lets through the listed components and the
 * {@link RequestInterceptor} and {@link HttpClientCustomizer} components, which shape every client's requests.
 */
final class HttpClientTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<HttpClientTest> {

	private static final Set<Class<?>> KNOWN_INCLUDES = Set.of(RequestInterceptor.class, HttpClientCustomizer.class);

	private final Set<Class<?>> components;

	HttpClientTypeExcludeFilter(Class<?> testClass) {
		super(testClass);
		Class<?>[] components = getAnnotation().getValue("components", Class[].class).orElseGet(() -> new Class<?>[0]);
		this.components = new LinkedHashSet<>(List.of(components));
	}

	@Override
	protected Set<Class<?>> getKnownIncludes() {
		return KNOWN_INCLUDES;
	}

	@Override
	protected Set<Class<?>> getComponentIncludes() {
		return this.components;
	}

}
