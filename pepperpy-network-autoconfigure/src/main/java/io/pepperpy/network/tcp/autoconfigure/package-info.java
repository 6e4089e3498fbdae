/**
 * Spring Boot auto-configuration that builds {@link io.pepperpy.network.tcp.TcpClient} beans from
 * {@code pepperpy.network.tcp.*} properties.
 */
package io.pepperpy.network.tcp.autoconfigure;
