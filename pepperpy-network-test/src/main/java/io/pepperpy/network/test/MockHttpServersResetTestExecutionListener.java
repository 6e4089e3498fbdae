package io.pepperpy.network.test;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Resets the stubs, recorded requests and scenarios of a context's {@link MockHttpServers} after each test
 * method, so no test sees what an earlier one stubbed or sent (as Spring Boot's
 * {@code MockRestServiceServerResetTestExecutionListener} does for {@code MockRestServiceServer}).
 */
class MockHttpServersResetTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		if (context instanceof ConfigurableApplicationContext configurable && !configurable.isActive()) {
			return;
		}
		if (context.containsBean(MockHttpServers.BEAN_NAME)) {
			context.getBean(MockHttpServers.BEAN_NAME, MockHttpServers.class).resetAll();
		}
	}

}
