/**
 * The minimal Spring Boot app of the start-up part, alone in its package so nothing else is scanned.
 */
package io.pepperpy.network.benchmarks.startup;
