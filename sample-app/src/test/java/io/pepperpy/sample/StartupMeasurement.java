package io.pepperpy.sample;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.pepperpy.network.test.AutoConfigureMockHttpServers;
import io.pepperpy.network.test.HttpClientTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextManager;

/**
 * Measures how long the {@code @HttpClientTest} slice of the sample takes to start against a full
 * {@code @SpringBootTest} of it (both with mock servers), alternating them and closing each context. It is not
 * part of the build (its name does not end in {@code Tests}); run it with
 * {@code ./mvnw -pl sample-app -am test -Dtest=StartupMeasurement -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class StartupMeasurement {

	private static final int ROUNDS = 8;

	@Test
	void measure() throws Exception {
		List<Long> slice = new ArrayList<>();
		List<Long> full = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			if (round % 2 == 0) {
				slice.add(start(Slice.class));
				full.add(start(Full.class));
			}
			else {
				full.add(start(Full.class));
				slice.add(start(Slice.class));
			}
		}
		System.out.println("slice ms (first round is cold): " + slice + ", median of warm " + median(slice));
		System.out.println("full ms (first round is cold): " + full + ", median of warm " + median(full));
	}

	private static long start(Class<?> testClass) throws Exception {
		TestContextManager manager = new TestContextManager(testClass);
		TestContext context = manager.getTestContext();
		long start = System.nanoTime();
		context.getApplicationContext();
		long millis = (System.nanoTime() - start) / 1_000_000;
		context.markApplicationContextDirty(null);
		return millis;
	}

	private static long median(List<Long> values) {
		List<Long> warm = new ArrayList<>(values.subList(1, values.size()));
		Collections.sort(warm);
		return warm.get(warm.size() / 2);
	}

	@HttpClientTest(properties = "logging.level.io.pepperpy.sample=INFO")
	static class Slice {

	}

	@SpringBootTest(properties = { "pepperpy.network.tcp.host=127.0.0.1", "pepperpy.network.tcp.port=9",
			"logging.level.io.pepperpy.sample=INFO" })
	@AutoConfigureMockHttpServers
	static class Full {

	}

}
