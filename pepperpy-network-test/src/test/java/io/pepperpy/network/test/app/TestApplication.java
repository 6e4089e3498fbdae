package io.pepperpy.network.test.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small application with two named clients ({@code users} and {@code billing}, declared in the test
 * {@code application.yml}), a service per client, an interceptor and a controller.
 */
@SpringBootApplication
public class TestApplication {

}
