package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import io.pepperpy.network.http.HttpConfig;
import io.pepperpy.network.limit.RateLimitSettings;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.FieldError;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HttpClientPropertiesMapper}.
 */
class HttpClientPropertiesMapperTests {

	@Test
	void defaultPropertiesMapToTheDefaultConfiguration() {
		assertThat(HttpClientPropertiesMapper.map(new PepperpyHttpProperties(), HttpConfig.DEFAULT_NAME).build())
			.isEqualTo(HttpConfig.defaults());
	}

	@Test
	void serverQuotaIsFollowedByDefaultAndCanBeIgnored() {
		PepperpyHttpProperties properties = new PepperpyHttpProperties();
		assertThat(HttpClientPropertiesMapper.map(properties, HttpConfig.DEFAULT_NAME).build().rateLimit().serverQuota())
			.isEqualTo(RateLimitSettings.ServerQuota.FOLLOW);
		properties.getRateLimit().setServerQuota(RateLimitSettings.ServerQuota.IGNORE);
		assertThat(HttpClientPropertiesMapper.map(properties, HttpConfig.DEFAULT_NAME).build().rateLimit().serverQuota())
			.isEqualTo(RateLimitSettings.ServerQuota.IGNORE);
	}

	@Test
	void everyInvalidPropertyIsRejectedWithItsValueAndMessage() {
		PepperpyHttpProperties properties = new PepperpyHttpProperties();
		properties.setRetries(-1);
		properties.setTimeout(Duration.ofSeconds(-5));
		properties.setMaxInMemorySize(DataSize.ofGigabytes(3));
		properties.getPool().setMaxConnections(0);
		properties.getRateLimit().getRedis().setExpectedInstances(0);
		properties.getHeaders().put("X-Bad", "line\nbreak");
		BeanPropertyBindingResult errors = new BeanPropertyBindingResult(properties, PepperpyHttpProperties.PREFIX);
		properties.validate(properties, errors);
		assertThat(errors.getFieldErrors()).extracting(FieldError::getField)
			.containsExactlyInAnyOrder("retries", "timeout", "maxInMemorySize", "pool.maxConnections",
					"rateLimit.redis.expectedInstances", "headers");
		assertThat(errors.getFieldError("retries").getDefaultMessage())
			.isEqualTo("retries must be 0 or more but was -1");
		assertThat(errors.getFieldError("pool.maxConnections").getDefaultMessage())
			.isEqualTo("pool.max-connections must be 1 or more but was 0");
		assertThat(errors.getFieldError("maxInMemorySize").getDefaultMessage())
			.isEqualTo("max-in-memory-size must be between 0 and 2GB");
		assertThat(errors.getFieldError("headers").getArguments()).containsExactly("(not shown)");
		assertThat(properties.getRetries()).as("the properties are left as bound").isEqualTo(-1);
	}

}
