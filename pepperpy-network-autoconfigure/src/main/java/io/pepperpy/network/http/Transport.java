package io.pepperpy.network.http;

import java.time.Duration;
import java.util.List;

import io.pepperpy.network.InvalidSettingException;
import io.pepperpy.network.internal.SettingChecks;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * How an HTTP client reaches servers: TLS verification, the proxy, HTTP/2, its connection pool, and how long it
 * waits for calls in flight when it closes. The values are checked when it is created; a proxy's credentials are
 * never shown in an error.
 *
 * @param verifySsl whether TLS certificates and host names are verified ({@code verify-ssl})
 * @param proxy proxy URL such as {@code http://user:pass@proxy:8080} or {@code socks5://host:1080},
 * {@code system} for the proxy the JVM's properties or the environment name, or {@code null} ({@code proxy})
 * @param nonProxyHosts hosts reached without the proxy: names, {@code *.domain} (or {@code .domain}) patterns, or
 * entries of the JVM's {@code a|*.b|localhost} form ({@code non-proxy-hosts})
 * @param http2 whether HTTP/2 is offered, with HTTP/1.1 as fallback ({@code http2})
 * @param pool the client's connection pool ({@code pool.*})
 * @param shutdownGracePeriod longest time {@link HttpClient#closeGracefully()} waits for calls in flight
 * ({@code shutdown-grace-period})
 */
public record Transport(boolean verifySsl, @Nullable String proxy, List<String> nonProxyHosts, boolean http2,
		ConnectionPool pool, Duration shutdownGracePeriod) {

	/**
	 * The defaults: certificates verified, no proxy, HTTP/1.1, the default pool, 10 s to close gracefully.
	 */
	public static final Transport DEFAULTS = new Transport(true, null, List.of(), false, ConnectionPool.DEFAULTS,
			Duration.ofSeconds(10));

	/**
	 * Check every value and make the host list immutable.
	 * @throws InvalidSettingException naming the first invalid value
	 */
	public Transport {
		proxy = StringUtils.hasText(proxy) ? proxy.trim() : null;
		if (proxy != null && !ProxySettings.SYSTEM.equalsIgnoreCase(proxy)) {
			try {
				ProxySettings.parse(proxy);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidSettingException("proxy", InvalidSettingException.NOT_SHOWN, ex.getMessage(), ex);
			}
		}
		nonProxyHosts = List.copyOf((nonProxyHosts != null) ? nonProxyHosts : List.of());
		try {
			NonProxyHosts.of(nonProxyHosts);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException("non-proxy-hosts", nonProxyHosts, ex.getMessage(), ex);
		}
		SettingChecks.notNull("pool", pool);
		SettingChecks.notNegative("shutdown-grace-period", shutdownGracePeriod);
	}

}
