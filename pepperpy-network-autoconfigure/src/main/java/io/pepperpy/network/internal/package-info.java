/**
 * What the HTTP and TCP clients share about attempts (their deadline, retry policy, rate-limit refusal and circuit
 * breaker), written once. Public only so that both protocols' packages can use it: users never write these types,
 * and they may change in any release.
 */
@NullMarked
package io.pepperpy.network.internal;

import org.jspecify.annotations.NullMarked;
