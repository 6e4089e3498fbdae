/**
 * A resilient TCP client over Reactor Netty: {@link io.pepperpy.network.tcp.TcpClient} and its configuration
 * {@link io.pepperpy.network.tcp.TcpConfig}.
 */
package io.pepperpy.network.tcp;
