package io.pepperpy.network.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Apply the auto-configurations an {@link HttpClientTest @HttpClientTest} needs: pepperpy's (HTTP and TCP
 * clients, HTTP service groups, Redis rate limits, actuator), Jackson's, the codecs', {@code WebClient}'s and
 * Boot's SSL bundles. They are listed in
 * {@code META-INF/spring/io.pepperpy.network.test.AutoConfigureHttpClient.imports}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureHttpClient {

}
