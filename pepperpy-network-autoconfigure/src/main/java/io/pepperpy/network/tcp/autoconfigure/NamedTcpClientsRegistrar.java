package io.pepperpy.network.tcp.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.pepperpy.network.autoconfigure.NamedClientsRegistrar;
import io.pepperpy.network.tcp.TcpClient;
import io.pepperpy.network.tcp.TcpConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartFactoryBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.Assert;

/**
 * Registers one {@link TcpClient} bean per {@code pepperpy.network.tcp.clients.<name>}: named
 * {@code <name>TcpClient}, qualified {@code @Qualifier("<name>")}, unless a bean of that name already exists.
 * A named client's settings are {@code pepperpy.network.tcp.*} overlaid with its own.
 */
class NamedTcpClientsRegistrar extends NamedClientsRegistrar {

	NamedTcpClientsRegistrar() {
		super(PepperpyTcpProperties.PREFIX, "TcpClient", NamedTcpClientFactoryBean.class);
	}

	/**
	 * Makes one named client at start-up (the client itself connects on its first call), and closes it with the
	 * context.
	 */
	static final class NamedTcpClientFactoryBean
			implements SmartFactoryBean<TcpClient>, BeanFactoryAware, EnvironmentAware, DisposableBean {

		private final String name;

		private @Nullable ListableBeanFactory beanFactory;

		private @Nullable Environment environment;

		private @Nullable TcpClient client;

		NamedTcpClientFactoryBean(String name) {
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
		public synchronized TcpClient getObject() {
			TcpClient client = this.client;
			if (client == null) {
				Assert.state(this.beanFactory != null && this.environment != null, "not initialized");
				client = create(Binder.get(this.environment), this.name, this.beanFactory);
				this.client = client;
			}
			return client;
		}

		@Override
		public Class<?> getObjectType() {
			return TcpClient.class;
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
			TcpClient client = this.client;
			if (client != null) {
				client.close();
			}
		}

	}

	private static TcpClient create(Binder binder, String name, ListableBeanFactory beanFactory) {
		TcpConfig config = config(binder, name);
		return PepperpyTcpClientAutoConfiguration.create(config,
				beanFactory.getBeanProvider(MeterRegistry.class).getIfUnique(),
				beanFactory.getBeanProvider(SslBundles.class).getIfAvailable());
	}

	/**
	 * Return a named client's configuration: {@code pepperpy.network.tcp.*} overlaid with
	 * {@code pepperpy.network.tcp.clients.<name>.*}.
	 * @param binder the binder
	 * @param name the client's name
	 * @return the configuration
	 */
	static TcpConfig config(Binder binder, String name) {
		TcpClientProperties merged = new TcpClientProperties();
		binder.bind(PepperpyTcpProperties.PREFIX, Bindable.ofInstance(merged));
		String prefix = PepperpyTcpProperties.PREFIX + ".clients." + name;
		binder.bind(prefix, Bindable.ofInstance(merged));
		try {
			return merged.toConfig(name).build();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Invalid TCP client '" + name + "' (" + prefix + ".* over "
					+ PepperpyTcpProperties.PREFIX + ".*): " + ex.getMessage(), ex);
		}
	}

}
