package io.pepperpy.network.http.autoconfigure;

import java.util.Map;

import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.validation.BeanPropertyBindingResult;

/**
 * Registers one {@link HttpClient} bean per {@code pepperpy.network.http.clients.<name>}: named
 * {@code <name>HttpClient}, qualified {@code @Qualifier("<name>")}, unless a bean of that name already exists. A
 * named client's settings are {@code pepperpy.network.http.*} overlaid with its own.
 */
class NamedHttpClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	private static final ConfigurationPropertyName CLIENTS = ConfigurationPropertyName
		.of(PepperpyHttpProperties.PREFIX + ".clients");

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		if (!mayHaveClients(this.environment)) {
			return;
		}
		Binder binder = Binder.get(this.environment);
		Map<String, Object> clients = binder
			.bind(PepperpyHttpProperties.PREFIX + ".clients", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		for (String name : clients.keySet()) {
			String beanName = name + "HttpClient";
			if (registry.containsBeanDefinition(beanName)) {
				continue;
			}
			RootBeanDefinition definition = new RootBeanDefinition(HttpClient.class,
					() -> create(binder, name, (ListableBeanFactory) registry));
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			definition.setDestroyMethodName("close");
			registry.registerBeanDefinition(beanName, definition);
		}
	}

	/**
	 * Return whether a property under {@code pepperpy.network.http.clients} is set (or may be: a property source
	 * that cannot list its names counts as setting one), so that an app without named clients does not pay for
	 * binding them at start-up.
	 */
	private static boolean mayHaveClients(Environment environment) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source.containsDescendantOf(CLIENTS) != ConfigurationPropertyState.ABSENT) {
				return true;
			}
		}
		return false;
	}

	private static HttpClient create(Binder binder, String name, ListableBeanFactory beanFactory) {
		PepperpyHttpProperties all = beanFactory.getBean(PepperpyHttpProperties.class);
		PepperpyHttpClientProperties merged = merged(binder, name);
		String prefix = PepperpyHttpProperties.PREFIX + ".clients." + name;
		BeanPropertyBindingResult errors = new BeanPropertyBindingResult(merged, prefix);
		merged.validate(merged, errors);
		if (!all.isAllowInsecureSsl() && !merged.isVerifySsl()) {
			errors.rejectValue("verifySsl", "insecure",
					"verify-ssl: false is forbidden by pepperpy.network.http.allow-insecure-ssl: false");
		}
		if (errors.hasErrors()) {
			StringBuilder message = new StringBuilder("Invalid HTTP client '" + name + "':");
			errors.getFieldErrors()
				.forEach((error) -> message.append("\n - ").append(prefix).append('.')
					.append(kebab(error.getField())).append(": ").append(error.getDefaultMessage()));
			throw new IllegalStateException(message.toString());
		}
		HttpConfig config = PepperpyHttpClientAutoConfiguration.config(merged, name, all, beanFactory);
		return PepperpyHttpClientAutoConfiguration.create(config, merged.getSslBundle(), beanFactory);
	}

	/**
	 * Return a named client's properties: {@code pepperpy.network.http.*} overlaid with
	 * {@code pepperpy.network.http.clients.<name>.*}.
	 * @param binder the binder
	 * @param name the client's name
	 * @return the merged properties
	 */
	static PepperpyHttpClientProperties merged(Binder binder, String name) {
		PepperpyHttpClientProperties merged = new PepperpyHttpClientProperties();
		binder.bind(PepperpyHttpProperties.PREFIX, Bindable.ofInstance(merged));
		binder.bind(PepperpyHttpProperties.PREFIX + ".clients." + name, Bindable.ofInstance(merged));
		return merged;
	}

	private static String kebab(String field) {
		return field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
	}

}
