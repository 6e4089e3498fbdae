package io.pepperpy.network.test;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.pepperpy.network.http.HttpConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the mock servers of a context and points the clients at them. It runs as an application context
 * initializer, after {@code SpringApplication} has prepared the environment ({@code application.yml} and profiles
 * loaded) and before any bean definition is read, so the clients' names are known and their {@code base-url}s
 * are in place before the named clients are registered.
 */
final class MockHttpServersContextCustomizer implements ContextCustomizer {

	static final String PROPERTY_SOURCE_NAME = "pepperpyMockHttpServers";

	private static final String PREFIX = "pepperpy.network.http";

	private final Set<String> clients;

	MockHttpServersContextCustomizer(Set<String> clients) {
		this.clients = new TreeSet<>(clients);
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		ConfigurableEnvironment environment = context.getEnvironment();
		Binder binder = Binder.get(environment);
		Set<String> names = new LinkedHashSet<>();
		names.add(HttpConfig.DEFAULT_NAME);
		names.addAll(this.clients.isEmpty() ? declaredClients(binder) : this.clients);
		Map<String, MockHttpServer> servers = new LinkedHashMap<>();
		Map<String, Object> properties = new LinkedHashMap<>();
		try {
			for (String name : names) {
				MockHttpServer server = new MockHttpServer(name);
				servers.put(name, server);
				server.start();
				String property = baseUrlProperty(name);
				properties.put(property, server.baseUrl() + path(configured(binder, property)));
			}
		}
		catch (RuntimeException ex) {
			new MockHttpServers(servers).close();
			throw ex;
		}
		MockHttpServers mockServers = new MockHttpServers(servers);
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
		context.getBeanFactory().registerSingleton(MockHttpServers.BEAN_NAME, mockServers);
		if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
			registry.registerDisposableBean(MockHttpServers.BEAN_NAME, mockServers::close);
		}
	}

	private static Set<String> declaredClients(Binder binder) {
		return binder.bind(PREFIX + ".clients", Bindable.mapOf(String.class, Object.class))
			.map(Map::keySet)
			.<Set<String>>map(LinkedHashSet::new)
			.orElseGet(LinkedHashSet::new);
	}

	private static String baseUrlProperty(String name) {
		return HttpConfig.DEFAULT_NAME.equals(name) ? PREFIX + ".base-url" : PREFIX + ".clients." + name + ".base-url";
	}

	private static @Nullable String configured(Binder binder, String property) {
		try {
			return binder.bind(property, String.class).orElse(null);
		}
		catch (RuntimeException ex) {
			// An unresolvable placeholder, for example: the server's URL replaces it anyway.
			return null;
		}
	}

	private static String path(@Nullable String baseUrl) {
		if (baseUrl == null || baseUrl.isBlank()) {
			return "";
		}
		try {
			String path = URI.create(baseUrl.trim()).getRawPath();
			if (path == null || path.isEmpty() || path.equals("/")) {
				return "";
			}
			return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		}
		catch (IllegalArgumentException ex) {
			return "";
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return (this == other) || (other instanceof MockHttpServersContextCustomizer customizer
				&& this.clients.equals(customizer.clients));
	}

	@Override
	public int hashCode() {
		return this.clients.hashCode();
	}

	@Override
	public String toString() {
		return "MockHttpServersContextCustomizer" + this.clients;
	}

}
