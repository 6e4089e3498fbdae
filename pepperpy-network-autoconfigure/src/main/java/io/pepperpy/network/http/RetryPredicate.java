package io.pepperpy.network.http;

import java.net.URI;

import io.pepperpy.network.NetworkException;
import org.springframework.http.HttpMethod;

/**
 * A custom retry rule. It sees every failed attempt with the built-in decision and returns the final one; the
 * retry count, the retry budget, the Retry-After cap and the deadline still apply to a retry it allows.
 * <p>
 * In a Spring Boot application, a bean of this type is picked up by the auto-configuration.
 */
@FunctionalInterface
public interface RetryPredicate {

	/**
	 * Decide whether a failed attempt is retried.
	 * @param method the request's method
	 * @param url the request's URL
	 * @param failure what went wrong
	 * @param retryByDefault what the built-in rules decided
	 * @return whether to retry
	 */
	boolean shouldRetry(HttpMethod method, URI url, NetworkException failure, boolean retryByDefault);

}
