package io.pepperpy.network.tcp.autoconfigure;

import java.util.List;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.pepperpy.network.internal.autoconfigure.ClientPropertiesRuntimeHints;
import io.pepperpy.network.tcp.TcpClient;
import io.pepperpy.network.tcp.TcpConfig;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Primary;

/**
 * Auto-configuration of the pepperpy {@link TcpClient}s: the default client {@code pepperpyTcpClient} from
 * {@code pepperpy.network.tcp.*} when a host is set, and one client {@code <name>TcpClient}, qualified
 * {@code <name>}, per {@code pepperpy.network.tcp.clients.<name>}. SSL bundles come from Boot's
 * {@link SslBundles}; meters go to the {@link MeterRegistry} bean when there is one. Without any
 * {@code pepperpy.network.tcp.*} property there is no client to make, and nothing of this configuration is
 * applied.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(reactor.netty.tcp.TcpClient.class)
@Conditional(OnTcpPropertiesCondition.class)
@EnableConfigurationProperties(PepperpyTcpProperties.class)
@Import(NamedTcpClientsRegistrar.class)
@ImportRuntimeHints(ClientPropertiesRuntimeHints.class)
public final class PepperpyTcpClientAutoConfiguration {

	/**
	 * Name of the default client's bean.
	 */
	public static final String DEFAULT_BEAN_NAME = "pepperpyTcpClient";

	@Bean(name = DEFAULT_BEAN_NAME, destroyMethod = "close")
	@Primary
	@ConditionalOnMissingBean(TcpClient.class)
	@ConditionalOnProperty(prefix = PepperpyTcpProperties.PREFIX, name = "host")
	TcpClient pepperpyTcpClient(PepperpyTcpProperties properties, ListableBeanFactory beanFactory) {
		return create(TcpClientPropertiesMapper.map(properties, TcpConfig.DEFAULT_NAME).build(), beanFactory);
	}

	/**
	 * Create a client with the context's meter registry, SSL bundles and resilience4j registry, when present.
	 * @param config the configuration
	 * @param beanFactory the bean factory
	 * @return the client
	 */
	static TcpClient create(TcpConfig config, ListableBeanFactory beanFactory) {
		SslBundles sslBundles = beanFactory.getBeanProvider(SslBundles.class).getIfAvailable();
		TcpClient.Builder builder = TcpClient.builder()
			.config(config)
			.meterRegistry(beanFactory.getBeanProvider(MeterRegistry.class).getIfUnique())
			.circuitBreakerRegistry(beanFactory.getBeanProvider(CircuitBreakerRegistry.class).getIfUnique());
		if (config.sslBundle() != null) {
			if (sslBundles == null) {
				throw new IllegalStateException("TCP client '" + config.name() + "' uses ssl-bundle '"
						+ config.sslBundle() + "' but there is no SslBundles bean");
			}
			SslBundle bundle = sslBundles.getBundle(config.sslBundle());
			builder.tls(bundle.getManagers().getKeyManagerFactory(), bundle.getManagers().getTrustManagerFactory());
			SslOptions options = bundle.getOptions();
			builder.tlsOptions((options.getCiphers() != null) ? List.of(options.getCiphers()) : null,
					(options.getEnabledProtocols() != null) ? List.of(options.getEnabledProtocols()) : null);
		}
		return builder.build();
	}

}
