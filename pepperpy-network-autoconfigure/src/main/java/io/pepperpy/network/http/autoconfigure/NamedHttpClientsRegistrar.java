package io.pepperpy.network.http.autoconfigure;

import io.pepperpy.network.autoconfigure.NamedClientsRegistrar;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartFactoryBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;
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
	 * Makes one named client at start-up (the client itself connects on its first call), and closes it with the
	 * context.
	 */
	static final class NamedHttpClientFactoryBean
			implements SmartFactoryBean<HttpClient>, BeanFactoryAware, EnvironmentAware, DisposableBean {

		private final String name;

		private @Nullable ListableBeanFactory beanFactory;

		private @Nullable Environment environment;

		private @Nullable HttpClient client;

		NamedHttpClientFactoryBean(String name) {
			this.name = name;
		}

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.beanFactory = (ListableBeanFactory) beanFactory;
		}

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = environment;
		}

		@Override
		public synchronized HttpClient getObject() {
			HttpClient client = this.client;
			if (client == null) {
				Assert.state(this.beanFactory != null && this.environment != null, "not initialized");
				client = create(Binder.get(this.environment), this.name, this.beanFactory);
				this.client = client;
			}
			return client;
		}

		@Override
		public Class<?> getObjectType() {
			return HttpClient.class;
		}

		/**
		 * Made with the other singletons, so that an invalid client fails start-up, naming its property.
		 */
		@Override
		public boolean isEagerInit() {
			return true;
		}

		@Override
		public void destroy() {
			HttpClient client = this.client;
			if (client != null) {
				client.close();
			}
		}

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
