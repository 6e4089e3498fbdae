/**
 * A resilient HTTP client over Spring's {@code WebClient}: {@link io.pepperpy.network.http.HttpClient} and its
 * configuration {@link io.pepperpy.network.http.HttpConfig}.
 */
@NullMarked
package io.pepperpy.network.http;

import org.jspecify.annotations.NullMarked;
