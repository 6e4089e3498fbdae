/**
 * Shared internals of the HTTP and TCP clients; public only so that both protocols' packages can use them: users
 * never write these types, and they may change in any release.
 */
@NullMarked
package io.pepperpy.network.internal.circuit;

import org.jspecify.annotations.NullMarked;
