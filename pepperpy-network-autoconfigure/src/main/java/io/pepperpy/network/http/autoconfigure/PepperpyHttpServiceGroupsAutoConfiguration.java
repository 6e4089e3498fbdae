package io.pepperpy.network.http.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.pepperpy.network.http.HttpClient;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

/**
 * Serves Spring's HTTP service groups ({@code @ImportHttpServices(group = "users", ...)}) with the HTTP client of
 * the same name ({@code pepperpy.network.http.clients.users}), and the group {@code default} (the group of
 * {@code @ImportHttpServices} without one) with the default client: the group's interfaces then get everything
 * the client has (base URL, headers, interceptors, retries, rate limit, metrics, typed errors), whether the group
 * is a {@code REST_CLIENT} group or a {@code WEB_CLIENT} one. Groups without a client of their name are left to
 * Spring Boot.
 * <p>
 * The group's proxy factory gets the client's {@link HttpClient#exchangeAdapter() exchange adapter} in place of
 * the one Spring would build, so the group's {@code spring.http.serviceclient.<group>.*} settings, which shape
 * that adapter's client, would not apply: start-up fails when one is set, naming the client's property to set
 * instead.
 */
@AutoConfiguration(after = PepperpyHttpClientAutoConfiguration.class)
@ConditionalOnClass({ HttpServiceGroupConfigurer.class, WebClientHttpServiceGroupConfigurer.class })
public final class PepperpyHttpServiceGroupsAutoConfiguration {

	/**
	 * The client's property to set for each {@code spring.http.serviceclient.<group>.*} setting.
	 */
	private static final Map<String, String> INSTEAD = new LinkedHashMap<>();

	static {
		INSTEAD.put("base-url", "base-url");
		INSTEAD.put("default-header", "headers");
		INSTEAD.put("connect-timeout", "connect-timeout");
		INSTEAD.put("read-timeout", "timeout");
		INSTEAD.put("redirects", "follow-redirects");
		INSTEAD.put("ssl", "ssl-bundle");
		INSTEAD.put("apiversion", null);
	}

	@Bean
	static WebClientHttpServiceGroupConfigurer pepperpyWebClientServiceGroups(ListableBeanFactory beanFactory,
			Environment environment) {
		NamedClientGroups groups = new NamedClientGroups(beanFactory, environment);
		return groups::configure;
	}

	@Bean
	static RestClientHttpServiceGroupConfigurer pepperpyRestClientServiceGroups(ListableBeanFactory beanFactory,
			Environment environment) {
		NamedClientGroups groups = new NamedClientGroups(beanFactory, environment);
		return groups::configure;
	}

	/**
	 * Gives each group with a client of its name that client's exchange adapter.
	 */
	static final class NamedClientGroups {

		private final ListableBeanFactory beanFactory;

		private final Environment environment;

		NamedClientGroups(ListableBeanFactory beanFactory, Environment environment) {
			this.beanFactory = beanFactory;
			this.environment = environment;
		}

		<CB> void configure(HttpServiceGroupConfigurer.Groups<CB> groups) {
			groups.forEachProxyFactory((group, proxyFactory) -> {
				HttpClient client = clientFor(group.name());
				if (client != null) {
					checkGroupSettings(group.name(), client);
					proxyFactory.exchangeAdapterDecorator((springAdapter) -> client.exchangeAdapter());
				}
			});
		}

		private @Nullable HttpClient clientFor(String group) {
			try {
				return BeanFactoryAnnotationUtils.qualifiedBeanOfType(this.beanFactory, HttpClient.class, group);
			}
			catch (NoSuchBeanDefinitionException ex) {
				if (HttpServiceGroup.DEFAULT_GROUP_NAME.equals(group)) {
					return this.beanFactory.getBeanProvider(HttpClient.class).getIfAvailable();
				}
				return null;
			}
		}

		private void checkGroupSettings(String group, HttpClient client) {
			String prefix = "spring.http.serviceclient." + group;
			Map<String, Object> settings = new LinkedHashMap<>(Binder.get(this.environment)
				.bind(prefix, Bindable.mapOf(String.class, Object.class))
				.orElse(Map.of()));
			if (settings.containsKey("base-url")
					&& String.valueOf(settings.get("base-url")).equals(client.config().baseUrl())) {
				// The same base URL twice is no conflict.
				settings.remove("base-url");
			}
			if (settings.isEmpty()) {
				return;
			}
			String properties = HttpServiceGroup.DEFAULT_GROUP_NAME.equals(group)
					&& !this.beanFactory.containsBean(group + "HttpClient") ? "pepperpy.network.http"
							: "pepperpy.network.http.clients." + group;
			StringBuilder message = new StringBuilder("HTTP service group '" + group + "' is served by " + properties
					+ ", so its Spring Boot settings would not apply:");
			settings.keySet().forEach((name) -> {
				message.append("\n - ").append(prefix).append('.').append(name).append(" is set: ");
				String instead = INSTEAD.get(name);
				message.append((instead != null) ? "set " + properties + "." + instead + " instead"
						: "set an ApiVersionInserter on the client's WebClient (an HttpClientCustomizer) instead");
			});
			throw new IllegalStateException(message.toString());
		}

	}

}
