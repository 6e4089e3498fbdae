package io.pepperpy.network.test;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;
import org.springframework.test.context.TestContextBootstrapper;

/**
 * {@link TestContextBootstrapper} of {@link HttpClientTest @HttpClientTest}: it reads the annotation's
 * {@code properties}.
 */
class HttpClientTestContextBootstrapper extends TestSliceTestContextBootstrapper<HttpClientTest> {

}
