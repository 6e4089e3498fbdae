/**
 * Auto-configuration support that the HTTP and TCP clients share: registering named clients.
 */
@NullMarked
package io.pepperpy.network.autoconfigure;

import org.jspecify.annotations.NullMarked;
