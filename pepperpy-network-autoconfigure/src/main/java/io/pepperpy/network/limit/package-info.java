/**
 * Rate limiters shared by the HTTP and TCP clients: one in this JVM and one shared through Redis, waiting on
 * Reactor timers, never on a thread.
 */
@NullMarked
package io.pepperpy.network.limit;

import org.jspecify.annotations.NullMarked;
