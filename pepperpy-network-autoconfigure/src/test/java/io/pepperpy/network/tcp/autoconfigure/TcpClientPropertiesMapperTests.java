package io.pepperpy.network.tcp.autoconfigure;

import io.pepperpy.network.tcp.TcpConfig;
import org.junit.jupiter.api.Test;

import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.FieldError;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TcpClientPropertiesMapper}.
 */
class TcpClientPropertiesMapperTests {

	@Test
	void defaultPropertiesMapToTheDefaultConfiguration() {
		TcpClientProperties properties = new TcpClientProperties();
		properties.setHost("localhost");
		properties.setPort(7000);
		assertThat(TcpClientPropertiesMapper.map(properties, TcpConfig.DEFAULT_NAME).build())
			.isEqualTo(TcpConfig.builder().host("localhost").port(7000).build());
	}

	@Test
	void withoutAHostOnlyTheOtherValuesAreChecked() {
		PepperpyTcpProperties properties = new PepperpyTcpProperties();
		BeanPropertyBindingResult errors = new BeanPropertyBindingResult(properties, PepperpyTcpProperties.PREFIX);
		properties.validate(properties, errors);
		assertThat(errors.hasErrors()).isFalse();
		properties.setPort(70000);
		properties.setPoolSize(0);
		TcpClientProperties named = new TcpClientProperties();
		named.setRetries(-2);
		properties.getClients().put("orders", named);
		properties.validate(properties, errors);
		assertThat(errors.getFieldErrors()).extracting(FieldError::getField)
			.containsExactlyInAnyOrder("port", "poolSize", "clients[orders].retries");
		assertThat(errors.getFieldError("clients[orders].retries").getDefaultMessage())
			.isEqualTo("retries must be 0 or more but was -2");
	}

	@Test
	void aHostRequiresAPort() {
		PepperpyTcpProperties properties = new PepperpyTcpProperties();
		properties.setHost("localhost");
		BeanPropertyBindingResult errors = new BeanPropertyBindingResult(properties, PepperpyTcpProperties.PREFIX);
		properties.validate(properties, errors);
		assertThat(errors.getFieldError("port").getDefaultMessage())
			.isEqualTo("port must be between 1 and 65535 but was 0");
	}

}
