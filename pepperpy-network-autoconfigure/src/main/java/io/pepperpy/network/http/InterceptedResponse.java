package io.pepperpy.network.http;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;

/**
 * The response an attempt received, as a {@link RequestInterceptor} sees it: status and headers, before the body
 * is read.
 *
 * @param request the request that produced the response
 * @param status the response status
 * @param headers the response headers, read-only
 */
public record InterceptedResponse(InterceptedRequest request, HttpStatusCode status, HttpHeaders headers) {

}
