package io.pepperpy.network.test;

import java.time.Duration;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

/**
 * Responses for the failures a client must survive, to use with any {@link MockHttpServer}:
 * {@code server.stubFor(get("/users/1").willReturn(MockResponses.status(503)))}. Each returns a WireMock
 * {@link ResponseDefinitionBuilder}, so it can be refined further ({@code .withBody(...)}).
 * <p>
 * With the default client they surface as: a non-2xx status, a {@code NetworkException} of kind {@code STATUS}
 * (after the retries that status allows); a delay past the client's {@code timeout}, kind {@code TIMEOUT}; a
 * dropped connection, kind {@code IO} or {@code PROTOCOL}; a {@code Retry-After} header, a retry that waits that
 * long (up to {@code retry-after-max}).
 */
public final class MockResponses {

	private MockResponses() {
	}

	/**
	 * An empty response with a status.
	 * @param status the status, such as 404 or 503
	 * @return the response
	 */
	public static ResponseDefinitionBuilder status(int status) {
		return aResponse().withStatus(status);
	}

	/**
	 * A 200 response sent after a delay: longer than the client's {@code timeout}, it makes the attempt time out.
	 * @param delay how long the server waits before answering
	 * @return the response
	 */
	public static ResponseDefinitionBuilder delay(Duration delay) {
		return aResponse().withStatus(200).withFixedDelay(Math.toIntExact(delay.toMillis()));
	}

	/**
	 * No response: the server resets the connection once the request is read (TCP RST).
	 * @return the response
	 */
	public static ResponseDefinitionBuilder droppedConnection() {
		return aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
	}

	/**
	 * No response: the server closes the connection once the request is read, without a byte.
	 * @return the response
	 */
	public static ResponseDefinitionBuilder emptyResponse() {
		return aResponse().withFault(Fault.EMPTY_RESPONSE);
	}

	/**
	 * A response with a status and a {@code Retry-After} header, as an overloaded or rate-limiting server sends.
	 * @param status the status, such as 429 or 503
	 * @param retryAfter how long the client should wait before retrying, rounded up to whole seconds
	 * @return the response
	 */
	public static ResponseDefinitionBuilder retryAfter(int status, Duration retryAfter) {
		long seconds = retryAfter.getSeconds() + ((retryAfter.getNano() > 0) ? 1 : 0);
		return retryAfter(status, seconds);
	}

	/**
	 * A response with a status and a {@code Retry-After} header in seconds.
	 * @param status the status, such as 429 or 503
	 * @param seconds how many seconds the client should wait before retrying
	 * @return the response
	 */
	public static ResponseDefinitionBuilder retryAfter(int status, long seconds) {
		return aResponse().withStatus(status).withHeader("Retry-After", Long.toString(Math.max(0, seconds)));
	}

}
