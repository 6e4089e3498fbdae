package io.pepperpy.sample;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * Uses the starter only through {@code application.yml}, an injected {@code HttpClient}, and an HTTP service
 * group: {@code @ImportHttpServices(group = "users")} is served by the named client {@code users}.
 * <p>
 * With no {@code pepperpy.network.http.base-url} given (argument, environment or system property), it starts an
 * embedded demo API on a free loopback port and points the client at it; likewise, with no
 * {@code pepperpy.network.tcp.host}, an embedded TCP echo server for the {@code TcpClient}.
 */
@SpringBootApplication
@ImportHttpServices(group = "users", types = UsersApi.class)
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
		EchoServer echoServer = notConfigured(args, "pepperpy.network.tcp.host", "PEPPERPY_NETWORK_TCP_HOST")
				? new EchoServer() : null;
		try {
			SpringApplication application = new SpringApplication(SampleApplication.class);
			Map<String, Object> defaults = new HashMap<>();
			if (demoApi != null) {
				defaults.put("pepperpy.network.http.base-url", demoApi.baseUrl());
			}
			if (echoServer != null) {
				defaults.put("pepperpy.network.tcp.host", "127.0.0.1");
				defaults.put("pepperpy.network.tcp.port", echoServer.port());
			}
			application.setDefaultProperties(defaults);
			return SpringApplication.exit(application.run(args));
		}
		finally {
			if (demoApi != null) {
				demoApi.close();
			}
			if (echoServer != null) {
				echoServer.close();
			}
		}
	}

	private static boolean needsDemoApi(String[] args) {
		return notConfigured(args, "pepperpy.network.http.base-url", "PEPPERPY_NETWORK_HTTP_BASEURL");
	}

	private static boolean notConfigured(String[] args, String property, String variable) {
		for (String arg : args) {
			if (arg.startsWith("--" + property + "=")) {
				return false;
			}
		}
		StandardEnvironment environment = new StandardEnvironment();
		return !environment.containsProperty(property) && !environment.containsProperty(variable);
	}

}
