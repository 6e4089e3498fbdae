package io.pepperpy.sample;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample exactly as the README's command does, against the embedded demo API.
 */
class SampleApplicationTests {

	@Test
	void runsEveryScenarioAndExitsZero() {
		PrintStream original = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		int exitCode;
		try {
			System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
			exitCode = SampleApplication.run(new String[0]);
		}
		finally {
			System.setOut(original);
		}
		String output = captured.toString(StandardCharsets.UTF_8);
		original.print(output);
		assertThat(exitCode).isZero();
		assertThat(output)
			.contains("- JSON GET /users -> [{id=1, name=Ada Lovelace}, {id=2, name=Alan Turing}]")
			.contains("- JSON GET /users/{id} with id=1 -> {id=1, name=Ada Lovelace}")
			.contains("- POST /users with JSON and a custom header -> {id=3, name=John Doe, customHeaders={X-Custom=value}}")
			.contains("All systems operational")
			.contains("attempts=3")
			.contains("10 calls in")
			.contains("Request failed with status 404: Not Found")
			.contains("image.jpg (2048 bytes)")
			.contains("pepperpy.http.client.calls GET /users/{id} status=200: 1 call(s)")
			.contains("pepperpy.http.client.retries reason=status: 2")
			.contains("TCP exchange with the echo server at tcp://127.0.0.1:")
			.contains("-> echo: Hello over TCP")
			.contains("UsersApi.getUser(2) (@HttpExchange over the named client 'users') -> {id=2, name=Alan Turing}")
			.contains("UsersApi.createUser (@HttpExchange, POST) -> {id=4, name=Grace Hopper, customHeaders={X-Client=users}}")
			.contains("Named client 'status' (TEXT, its own limit of 5/s) -> All systems operational")
			.contains("All scenarios completed.");
	}

}
