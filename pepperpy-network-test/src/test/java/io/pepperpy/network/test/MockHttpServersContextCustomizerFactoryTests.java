package io.pepperpy.network.test;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.ContextCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customizers of test classes with the same settings are equal, so those classes share a cached context.
 */
class MockHttpServersContextCustomizerFactoryTests {

	private final MockHttpServersContextCustomizerFactory factory = new MockHttpServersContextCustomizerFactory();

	@Test
	void sameSettingsMakeEqualCustomizers() {
		ContextCustomizer first = customizer(AllClients.class);
		ContextCustomizer second = customizer(AllClientsToo.class);
		assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
		assertThat(customizer(UsersAndBilling.class)).isEqualTo(customizer(BillingAndUsers.class));
		assertThat(customizer(Slice.class)).isEqualTo(first);
	}

	@Test
	void differentClientsMakeDifferentCustomizers() {
		assertThat(customizer(AllClients.class)).isNotEqualTo(customizer(UsersAndBilling.class));
	}

	@Test
	void noAnnotationNoCustomizer() {
		assertThat(customizer(Object.class)).isNull();
	}

	@Test
	void findsTheAnnotationOnAnEnclosingClass() {
		assertThat(customizer(AllClients.Inner.class)).isEqualTo(customizer(AllClients.class));
	}

	private ContextCustomizer customizer(Class<?> testClass) {
		return this.factory.createContextCustomizer(testClass, List.of());
	}

	@AutoConfigureMockHttpServers
	static class AllClients {

		class Inner {

		}

	}

	@AutoConfigureMockHttpServers
	static class AllClientsToo {

	}

	@AutoConfigureMockHttpServers({ "users", "billing" })
	static class UsersAndBilling {

	}

	@AutoConfigureMockHttpServers(clients = { "billing", "users" })
	static class BillingAndUsers {

	}

	@HttpClientTest
	static class Slice {

	}

}
