/**
 * Test support for applications that use pepperpy-network: {@link io.pepperpy.network.test.AutoConfigureMockHttpServers}
 * and the {@link io.pepperpy.network.test.HttpClientTest @HttpClientTest} slice for Spring tests,
 * {@link io.pepperpy.network.test.MockHttpServerExtension} for tests without Spring, and
 * {@link io.pepperpy.network.test.MockResponses} for failures.
 */
@NullMarked
package io.pepperpy.network.test;

import org.jspecify.annotations.NullMarked;
