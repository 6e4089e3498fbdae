/**
 * Benchmark harness comparing {@code HttpClient} with raw Reactor Netty, plain WebClient and other clients.
 */
package io.pepperpy.network.benchmarks;
