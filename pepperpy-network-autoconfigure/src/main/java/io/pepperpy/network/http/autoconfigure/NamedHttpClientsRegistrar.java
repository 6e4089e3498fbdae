package io.pepperpy.network.http.autoconfigure;

import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;
import io.pepperpy.network.internal.autoconfigure.ClientPropertiesValidation;
import io.pepperpy.network.internal.autoconfigure.NamedClientFactoryBean;
import io.pepperpy.network.internal.autoconfigure.NamedClientsRegistrar;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.validation.BeanPropertyBindingResult;

/**
 * Registers one {@link HttpClient} bean per {@code pepperpy.network.http.clients.<name>}: named
 * {@code <name>HttpClient}, qualified {@code @Qualifier("<name>")}, unless a bean of that name already exists. A
 * named client's settings are {@code pepperpy.network.http.*} overlaid with its own.
 */
class NamedHttpClientsRegistrar extends NamedClientsRegistrar {

	NamedHttpClientsRegistrar() {
		super(PepperpyHttpProperties.PREFIX, "HttpClient", NamedHttpClientFactoryBean.class);
	}

	/**
	 * Makes the named client of its name.
	 */
	static final class NamedHttpClientFactoryBean extends NamedClientFactoryBean<HttpClient> {

		NamedHttpClientFactoryBean(String name) {
			super(name, HttpClient.class);
		}

		@Override
		protected HttpClient create(Binder binder, String name, ListableBeanFactory beanFactory) {
			return NamedHttpClientsRegistrar.create(binder, name, beanFactory);
		}

	}

	private static HttpClient create(Binder binder, String name, ListableBeanFactory beanFactory) {
		PepperpyHttpProperties all = beanFactory.getBean(PepperpyHttpProperties.class);
		PepperpyHttpClientProperties merged = merged(binder, name);
		String prefix = PepperpyHttpProperties.PREFIX + ".clients." + name;
		BeanPropertyBindingResult errors = new BeanPropertyBindingResult(merged, prefix);
		HttpClientPropertiesMapper.validate(merged, all.isAllowInsecureSsl(), errors);
		if (errors.hasErrors()) {
			throw ClientPropertiesValidation.failure("HTTP client '" + name + "'", prefix, errors);
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

}
