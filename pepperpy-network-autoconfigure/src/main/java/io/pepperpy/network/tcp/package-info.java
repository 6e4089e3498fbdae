/**
 * A resilient TCP client over Reactor Netty: {@link io.pepperpy.network.tcp.TcpClient} and its configuration
 * {@link io.pepperpy.network.tcp.TcpConfig}.
 */
@NullMarked
package io.pepperpy.network.tcp;

import org.jspecify.annotations.NullMarked;
