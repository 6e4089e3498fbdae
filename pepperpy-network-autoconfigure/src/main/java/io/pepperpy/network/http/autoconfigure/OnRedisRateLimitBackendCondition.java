package io.pepperpy.network.http.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the default client or any named client sets {@code rate-limit.backend: redis}.
 */
class OnRedisRateLimitBackendCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String prefix = PepperpyHttpProperties.PREFIX;
		if (!OnHttpPropertiesCondition.anySet(context.getEnvironment())) {
			// Binding the clients' map costs start-up time for nothing (an app with Lettuce for other uses).
			return ConditionOutcome.noMatch("no " + prefix + ".* property is set");
		}
		Binder binder = Binder.get(context.getEnvironment());
		if (isRedis(binder, prefix)) {
			return ConditionOutcome.match(prefix + ".rate-limit.backend is redis");
		}
		Map<String, Object> clients = binder.bind(prefix + ".clients", Bindable.mapOf(String.class, Object.class))
			.orElse(Map.of());
		for (String name : clients.keySet()) {
			if (isRedis(binder, prefix + ".clients." + name)) {
				return ConditionOutcome.match(prefix + ".clients." + name + ".rate-limit.backend is redis");
			}
		}
		return ConditionOutcome.noMatch("no HTTP client uses rate-limit.backend: redis");
	}

	private static boolean isRedis(Binder binder, String prefix) {
		return binder.bind(prefix + ".rate-limit.backend", String.class)
			.map((value) -> value.trim().equalsIgnoreCase("redis"))
			.orElse(false);
	}

}
