package io.pepperpy.network.http;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;

/**
 * A response returned by {@link HttpClient.RequestSpec#exchange()}: status, headers and the decoded body.
 *
 * @param <T> the body type
 * @param status the response status
 * @param headers the response headers
 * @param body the decoded body, {@code null} when the response had none
 */
public record HttpResponse<T>(HttpStatusCode status, HttpHeaders headers, @Nullable T body) {

	/**
	 * Return the status code as an {@code int}.
	 * @return the status code
	 */
	public int statusCode() {
		return this.status.value();
	}

	/**
	 * Return whether the status is 2xx.
	 * @return whether the call succeeded
	 */
	public boolean isSuccess() {
		return this.status.is2xxSuccessful();
	}

}
