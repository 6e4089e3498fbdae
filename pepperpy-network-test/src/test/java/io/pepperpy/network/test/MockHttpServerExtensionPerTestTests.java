package io.pepperpy.network.test;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link MockHttpServerExtension} as an instance field: a server and client per test.
 */
class MockHttpServerExtensionPerTestTests {

	@RegisterExtension
	final MockHttpServerExtension server = new MockHttpServerExtension();

	@Test
	void startsForTheTest() {
		this.server.stubFor(get("/ping").willReturn(okJson("{\"pong\":true}")));
		assertThat(this.server.client().get("/ping").retrieve(Map.class).block()).containsEntry("pong", true);
	}

	@Test
	void refusesTheClientBeforeTheServerStarts() {
		assertThatIllegalStateException().isThrownBy(() -> new MockHttpServerExtension().client())
			.withMessageContaining("@RegisterExtension");
	}

}
