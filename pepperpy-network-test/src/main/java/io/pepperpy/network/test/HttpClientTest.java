package io.pepperpy.network.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.core.env.Environment;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of the components that call APIs through pepperpy {@code HttpClient}s, as {@code @RestClientTest} is for
 * {@code RestClient}s: only pepperpy's auto-configurations, Jackson's, the codecs' and {@code WebClient}'s are
 * applied, only the listed components (and {@code RequestInterceptor} and {@code HttpClientCustomizer}
 * components) are scanned, and {@link AutoConfigureMockHttpServers mock servers} stand in for every client's API.
 * <pre class="code">
 * &#64;HttpClientTest(components = UserService.class)
 * class UserServiceTests {
 *
 *     &#64;Autowired
 *     UserService users;
 *
 *     &#64;Autowired
 *     MockHttpServers servers;
 *
 * }
 * </pre>
 * {@code application.yml} is read as in the application, so the named clients it declares exist. Use
 * {@code @SpringBootTest} with {@link AutoConfigureMockHttpServers} to test the whole application.
 *
 * @see AutoConfigureHttpClient
 * @see AutoConfigureMockHttpServers
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(HttpClientTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(HttpClientTypeExcludeFilter.class)
@AutoConfigureHttpClient
@AutoConfigureMockHttpServers
public @interface HttpClientTest {

	/**
	 * Properties in {@code key=value} form added to the {@link Environment} before the test runs.
	 * @return the properties to add
	 */
	String[] properties() default {};

	/**
	 * Alias for {@link #components()}.
	 * @return the components to test
	 */
	@AliasFor("components")
	Class<?>[] value() default {};

	/**
	 * The components to test, such as the {@code @Service} that calls an API. Those not listed are not created.
	 * @return the components to test
	 */
	@AliasFor("value")
	Class<?>[] components() default {};

	/**
	 * Whether the default filters (the listed components, {@code RequestInterceptor}s and
	 * {@code HttpClientCustomizer}s) are used with {@code @SpringBootApplication} component scanning.
	 * @return whether to use the default filters
	 * @see #includeFilters()
	 * @see #excludeFilters()
	 */
	boolean useDefaultFilters() default true;

	/**
	 * Filters for types to add to the application context, on top of the default ones.
	 * @return the include filters
	 */
	Filter[] includeFilters() default {};

	/**
	 * Filters for types to leave out of the application context.
	 * @return the exclude filters
	 */
	Filter[] excludeFilters() default {};

	/**
	 * Auto-configuration classes not to apply in this test.
	 * @return the auto-configuration classes to exclude
	 */
	@AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
	Class<?>[] excludeAutoConfiguration() default {};

}
