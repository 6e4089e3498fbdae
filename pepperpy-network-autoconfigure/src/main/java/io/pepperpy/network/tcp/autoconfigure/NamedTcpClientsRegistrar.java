package io.pepperpy.network.tcp.autoconfigure;

import io.pepperpy.network.internal.autoconfigure.ClientPropertiesValidation;
import io.pepperpy.network.internal.autoconfigure.NamedClientFactoryBean;
import io.pepperpy.network.internal.autoconfigure.NamedClientsRegistrar;
import io.pepperpy.network.tcp.TcpClient;
import io.pepperpy.network.tcp.TcpConfig;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.validation.BeanPropertyBindingResult;

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
	 * Makes the named client of its name.
	 */
	static final class NamedTcpClientFactoryBean extends NamedClientFactoryBean<TcpClient> {

		NamedTcpClientFactoryBean(String name) {
			super(name, TcpClient.class);
		}

		@Override
		protected TcpClient create(Binder binder, String name, ListableBeanFactory beanFactory) {
			return NamedTcpClientsRegistrar.create(binder, name, beanFactory);
		}

	}

	private static TcpClient create(Binder binder, String name, ListableBeanFactory beanFactory) {
		TcpConfig config = config(binder, name,
				beanFactory.getBean(PepperpyTcpProperties.class).isAllowInsecureSsl());
		return PepperpyTcpClientAutoConfiguration.create(config, beanFactory);
	}

	/**
	 * Return a named client's configuration: {@code pepperpy.network.tcp.*} overlaid with
	 * {@code pepperpy.network.tcp.clients.<name>.*}.
	 * @param binder the binder
	 * @param name the client's name
	 * @param allowInsecureSsl whether {@code verify-ssl: false} is allowed
	 * @return the configuration
	 */
	static TcpConfig config(Binder binder, String name, boolean allowInsecureSsl) {
		TcpClientProperties merged = new TcpClientProperties();
		binder.bind(PepperpyTcpProperties.PREFIX, Bindable.ofInstance(merged));
		String prefix = PepperpyTcpProperties.PREFIX + ".clients." + name;
		binder.bind(prefix, Bindable.ofInstance(merged));
		BeanPropertyBindingResult errors = new BeanPropertyBindingResult(merged, prefix);
		TcpClientPropertiesMapper.validate(merged, name, allowInsecureSsl, errors);
		if (errors.hasErrors()) {
			throw ClientPropertiesValidation.failure("TCP client '" + name + "' (" + prefix + ".* over "
					+ PepperpyTcpProperties.PREFIX + ".*)", prefix, errors);
		}
		return TcpClientPropertiesMapper.map(merged, name).build();
	}

}
