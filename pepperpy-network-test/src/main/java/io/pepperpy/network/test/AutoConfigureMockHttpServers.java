package io.pepperpy.network.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Start a {@link MockHttpServer} for the default client and one per named client, and point each client at its
 * server, before the application context starts; so a {@code @SpringBootTest} needs no port handling of its own.
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureMockHttpServers
 * class UserServiceTests {
 *
 *     &#64;Autowired
 *     MockHttpServers servers;
 *
 *     &#64;Test
 *     void findsUser() {
 *         servers.get("users").stubFor(get("/users/1").willReturn(okJson("{\"id\":1}")));
 *         ...
 *         servers.get("users").verify(getRequestedFor(urlEqualTo("/users/1")));
 *     }
 *
 * }
 * </pre>
 * <p>
 * The named clients are those under {@code pepperpy.network.http.clients.<name>} in the test's environment, as
 * the application sees it: {@code application.yml}, profiles, {@code @SpringBootTest(properties = ...)} and
 * {@code @TestPropertySource} included. Each client's {@code base-url} becomes its server's
 * {@code http://127.0.0.1:<port>} followed by the path of the configured base URL, if any, so that stubs match
 * the paths the real API would see. Every server's stubs, recorded requests and scenarios are reset after each
 * test method; the servers stop when the context closes. Test classes with the same settings share one context
 * and its servers.
 *
 * @see MockHttpServers
 * @see HttpClientTest
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureMockHttpServers {

	/**
	 * Alias for {@link #clients()}.
	 * @return the names of the clients to start servers for
	 */
	@AliasFor("clients")
	String[] value() default {};

	/**
	 * Names of the named clients to start servers for, instead of every client found in the environment; a name
	 * that the environment does not declare gets a client too. The default client always gets a server.
	 * @return the names of the clients to start servers for
	 */
	@AliasFor("value")
	String[] clients() default {};

}
