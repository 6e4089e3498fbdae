/**
 * Spring Boot auto-configuration that builds {@link io.pepperpy.network.tcp.TcpClient} beans from
 * {@code pepperpy.network.tcp.*} properties.
 */
@NullMarked
package io.pepperpy.network.tcp.autoconfigure;

import org.jspecify.annotations.NullMarked;
