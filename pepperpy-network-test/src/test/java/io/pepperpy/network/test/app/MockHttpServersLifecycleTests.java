package io.pepperpy.network.test.app;

import io.pepperpy.network.test.AutoConfigureMockHttpServers;
import io.pepperpy.network.test.MockHttpServer;
import io.pepperpy.network.test.MockHttpServers;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test classes with the same settings share one context and its servers, and the servers stop when the context
 * closes.
 */
class MockHttpServersLifecycleTests {

	@Test
	void identicalTestClassesShareOneContextAndItsServers() {
		TestContext first = new TestContextManager(First.class).getTestContext();
		TestContext second = new TestContextManager(Second.class).getTestContext();
		try {
			ApplicationContext context = first.getApplicationContext();
			assertThat(second.getApplicationContext()).isSameAs(context);
			assertThat(context.getBean(MockHttpServers.class).get("users").isRunning()).isTrue();
		}
		finally {
			first.markApplicationContextDirty(null);
		}
	}

	@Test
	void serversStopWhenTheContextCloses() {
		TestContext testContext = new TestContextManager(Other.class).getTestContext();
		MockHttpServers servers = testContext.getApplicationContext().getBean(MockHttpServers.class);
		assertThat(servers.clientNames()).containsExactlyInAnyOrder("default", "billing");
		testContext.markApplicationContextDirty(null);
		for (String name : servers.clientNames()) {
			MockHttpServer server = servers.get(name);
			assertThat(server.isRunning()).as(name).isFalse();
		}
	}

	@SpringBootTest(classes = TestApplication.class, properties = "lifecycle=shared")
	@AutoConfigureMockHttpServers
	static class First {

	}

	@SpringBootTest(classes = TestApplication.class, properties = "lifecycle=shared")
	@AutoConfigureMockHttpServers
	static class Second {

	}

	@SpringBootTest(classes = TestApplication.class, properties = "lifecycle=closed")
	@AutoConfigureMockHttpServers("billing")
	static class Other {

	}

}
