package io.pepperpy.network.internal.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartFactoryBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;

/**
 * Makes one named client at start-up (a client connects on its first call, not here), and closes it with the
 * context. Registered by a {@link NamedClientsRegistrar} with the client's name as its only constructor argument,
 * which ahead-of-time processing writes out as code.
 *
 * @param <T> the client type
 */
public abstract class NamedClientFactoryBean<T extends AutoCloseable>
		implements SmartFactoryBean<T>, BeanFactoryAware, EnvironmentAware, DisposableBean {

	private final String name;

	private final Class<T> type;

	private @Nullable ListableBeanFactory beanFactory;

	private @Nullable Environment environment;

	private @Nullable T client;

	protected NamedClientFactoryBean(String name, Class<T> type) {
		this.name = name;
		this.type = type;
	}

	/**
	 * Make the client from its bound properties and the application's beans.
	 * @param binder the binder of the application's environment
	 * @param name the client's name
	 * @param beanFactory the bean factory
	 * @return the client
	 */
	protected abstract T create(Binder binder, String name, ListableBeanFactory beanFactory);

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (ListableBeanFactory) beanFactory;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public synchronized T getObject() {
		T client = this.client;
		if (client == null) {
			Assert.state(this.beanFactory != null && this.environment != null, "not initialized");
			client = create(Binder.get(this.environment), this.name, this.beanFactory);
			this.client = client;
		}
		return client;
	}

	@Override
	public Class<?> getObjectType() {
		return this.type;
	}

	/**
	 * Made with the other singletons, so that an invalid client fails start-up, naming its property.
	 */
	@Override
	public boolean isEagerInit() {
		return true;
	}

	@Override
	public void destroy() throws Exception {
		T client = this.client;
		if (client != null) {
			client.close();
		}
	}

}
