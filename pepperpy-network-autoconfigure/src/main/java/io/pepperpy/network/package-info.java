/**
 * What the HTTP and TCP clients share and neither owns: {@link io.pepperpy.network.NetworkException} and its
 * kinds, and the classification of transport failures.
 */
@NullMarked
package io.pepperpy.network;

import org.jspecify.annotations.NullMarked;
