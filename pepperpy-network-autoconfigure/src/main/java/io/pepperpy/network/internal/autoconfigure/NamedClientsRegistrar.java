package io.pepperpy.network.internal.autoconfigure;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one client bean per {@code <prefix>.clients.<name>}: named {@code <name><suffix>} (for example
 * {@code usersHttpClient}), qualified {@code @Qualifier("<name>")}, unless a bean of that name already exists.
 * <p>
 * Each bean is defined by its {@link FactoryBean} class and the client's name as a plain constructor argument,
 * never by an instance supplier, so that ahead-of-time processing ({@code spring-boot:process-aot}, native
 * images) can write the definitions out as code. As with any AOT-processed application, the set of named clients
 * is then the one the build saw; their settings are still read at run time.
 */
public abstract class NamedClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	private final String prefix;

	private final String beanNameSuffix;

	private final Class<? extends FactoryBean<?>> factoryBeanType;

	private @Nullable Environment environment;

	/**
	 * Create a registrar.
	 * @param prefix the clients' property prefix, such as {@code pepperpy.network.http}
	 * @param beanNameSuffix what follows a client's name in its bean name, such as {@code HttpClient}
	 * @param factoryBeanType the factory of one client, with a public constructor taking its name
	 */
	protected NamedClientsRegistrar(String prefix, String beanNameSuffix,
			Class<? extends FactoryBean<?>> factoryBeanType) {
		this.prefix = prefix;
		this.beanNameSuffix = beanNameSuffix;
		this.factoryBeanType = factoryBeanType;
	}

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Environment environment = this.environment;
		// An app without named clients does not pay for binding them at start-up.
		if (environment == null || !OnPropertiesUnderPrefixCondition.anySet(environment, this.prefix + ".clients")) {
			return;
		}
		Map<String, Object> clients = Binder.get(environment)
			.bind(this.prefix + ".clients", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		for (String name : clients.keySet()) {
			String beanName = name + this.beanNameSuffix;
			if (registry.containsBeanDefinition(beanName)) {
				continue;
			}
			RootBeanDefinition definition = new RootBeanDefinition(this.factoryBeanType);
			definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			registry.registerBeanDefinition(beanName, definition);
		}
	}

}
