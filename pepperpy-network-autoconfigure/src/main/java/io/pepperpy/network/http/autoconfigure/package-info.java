/**
 * Spring Boot auto-configuration that builds an {@link io.pepperpy.network.http.HttpClient} from
 * {@code pepperpy.network.http.*} properties.
 */
@NullMarked
package io.pepperpy.network.http.autoconfigure;

import org.jspecify.annotations.NullMarked;
