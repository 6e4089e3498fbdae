package io.pepperpy.sample;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.env.StandardEnvironment;

/**
 * Uses the starter only through {@code application.yml} and an injected {@code HttpClient}.
 * <p>
 * With no {@code pepperpy.network.http.base-url} given (argument, environment or system property), it starts an
 * embedded demo API on a free loopback port and points the client at it.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		System.exit(run(args));
	}

	/**
	 * Run the demo and return its exit code.
	 * @param args command-line arguments
	 * @return 0 when every scenario behaved as expected
	 */
	static int run(String[] args) {
		DemoApi demoApi = needsDemoApi(args) ? new DemoApi() : null;
		try {
			SpringApplication application = new SpringApplication(SampleApplication.class);
			if (demoApi != null) {
				application.setDefaultProperties(Map.of("pepperpy.network.http.base-url", demoApi.baseUrl()));
			}
			return SpringApplication.exit(application.run(args));
		}
		finally {
			if (demoApi != null) {
				demoApi.close();
			}
		}
	}

	private static boolean needsDemoApi(String[] args) {
		for (String arg : args) {
			if (arg.startsWith("--pepperpy.network.http.base-url=")) {
				return false;
			}
		}
		StandardEnvironment environment = new StandardEnvironment();
		return !environment.containsProperty("pepperpy.network.http.base-url")
				&& !environment.containsProperty("PEPPERPY_NETWORK_HTTP_BASEURL");
	}

}
