/**
 * The circuit breaker the HTTP and TCP clients share: settings, and a guard around a resilience4j
 * {@code CircuitBreaker} that admits attempts, records their outcome without blocking, and reports its state.
 */
@NullMarked
package io.pepperpy.network.circuit;

import org.jspecify.annotations.NullMarked;
