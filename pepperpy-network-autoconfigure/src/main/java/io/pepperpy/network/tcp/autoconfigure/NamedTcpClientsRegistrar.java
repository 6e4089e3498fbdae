package io.pepperpy.network.tcp.autoconfigure;

import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.pepperpy.network.tcp.TcpClient;
import io.pepperpy.network.tcp.TcpConfig;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one {@link TcpClient} bean per {@code pepperpy.network.tcp.clients.<name>}: named
 * {@code <name>TcpClient}, qualified {@code @Qualifier("<name>")}, unless a bean of that name already exists.
 * A named client's settings are {@code pepperpy.network.tcp.*} overlaid with its own.
 */
class NamedTcpClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Binder binder = Binder.get(this.environment);
		Map<String, Object> clients = binder
			.bind(PepperpyTcpProperties.PREFIX + ".clients", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		for (String name : clients.keySet()) {
			String beanName = name + "TcpClient";
			if (registry.containsBeanDefinition(beanName)) {
				continue;
			}
			RootBeanDefinition definition = new RootBeanDefinition(TcpClient.class,
					() -> create(binder, name, (ListableBeanFactory) registry));
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			definition.setDestroyMethodName("close");
			registry.registerBeanDefinition(beanName, definition);
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
