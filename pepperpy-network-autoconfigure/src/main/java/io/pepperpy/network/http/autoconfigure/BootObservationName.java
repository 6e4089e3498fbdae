package io.pepperpy.network.http.autoconfigure;

import io.pepperpy.network.internal.autoconfigure.OnPropertiesUnderPrefixCondition;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The name Spring Boot gives the observations of its HTTP clients
 * ({@code management.observations.http.client.requests.name}), as Boot maps it: its {@link ObservationProperties}
 * bean when {@code ObservationAutoConfiguration} applies, else those properties bound the same way. The clients'
 * attempts are observed under it, like the requests of Boot's own {@code WebClient}s. Without Boot's
 * {@code spring-boot-micrometer-observation} module there is no such name, and the client's default applies.
 */
final class BootObservationName {

	private static final String PREFIX = "management.observations";

	private static final boolean PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties",
			BootObservationName.class.getClassLoader());

	private BootObservationName() {
	}

	/**
	 * Return the name of the HTTP client observations.
	 * @param beanFactory the bean factory
	 * @return the name, or {@code null} when Boot gives none
	 */
	static @Nullable String of(ListableBeanFactory beanFactory) {
		return PRESENT ? Mapped.of(beanFactory) : null;
	}

	/**
	 * Reads Boot's properties; a class of its own so that {@link BootObservationName} links without Boot's module.
	 */
	private static final class Mapped {

		static @Nullable String of(ListableBeanFactory beanFactory) {
			ObservationProperties properties = beanFactory.getBeanProvider(ObservationProperties.class)
				.getIfAvailable();
			if (properties == null) {
				Environment environment = beanFactory.getBeanProvider(Environment.class).getIfAvailable();
				// Binding nothing costs start-up time: without the property, the client's default is Boot's.
				if (environment == null
						|| !OnPropertiesUnderPrefixCondition.anySet(environment, PREFIX + ".http.client")) {
					return null;
				}
				properties = Binder.get(environment).bindOrCreate(PREFIX, ObservationProperties.class);
			}
			String name = properties.getHttp().getClient().getRequests().getName();
			return (name != null && !name.isBlank()) ? name : null;
		}

	}

}
