package io.pepperpy.network.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import reactor.netty.transport.ProxyProvider;

/**
 * A parsed proxy URL: {@code http://[user:password@]host[:port]}, {@code socks4://...} or {@code socks5://...}.
 *
 * @param type the proxy protocol
 * @param host the proxy host
 * @param port the proxy port
 * @param username the user name, or {@code null}
 * @param password the password, or {@code null}
 */
record ProxySettings(ProxyProvider.Proxy type, String host, int port, @Nullable String username,
		@Nullable String password) {

	/**
	 * The {@code proxy} value that asks for the environment's proxy (see {@link #system}).
	 */
	static final String SYSTEM = "system";

	/**
	 * The JVM's default {@code http.nonProxyHosts}, used when {@code proxy: system} finds the proxy in the JVM's
	 * properties without a non-proxy list, as the JDK's own proxy selector does.
	 */
	private static final String JVM_DEFAULT_NON_PROXY_HOSTS = "localhost|127.*|[::1]|0.0.0.0|[::0]";

	/**
	 * The environment's proxy for {@code proxy: system}, as the JDK and containers name it: the JVM's
	 * {@code https.proxyHost}/{@code https.proxyPort}, else {@code http.proxyHost}/{@code http.proxyPort}, with
	 * {@code http.nonProxyHosts}; else the {@code HTTPS_PROXY}, then {@code HTTP_PROXY} variable (or their
	 * lower-case forms) with {@code NO_PROXY}. One proxy serves the client: the HTTPS one when both are set.
	 * @param properties the JVM's system properties
	 * @param environment the environment variables
	 * @return the proxy URL and the hosts that bypass it, or {@code null} when the environment names no proxy
	 */
	static @Nullable Resolved system(java.util.Properties properties, java.util.Map<String, String> environment) {
		for (String scheme : new String[] { "https", "http" }) {
			String host = properties.getProperty(scheme + ".proxyHost");
			if (host != null && !host.isBlank()) {
				String port = properties.getProperty(scheme + ".proxyPort", scheme.equals("https") ? "443" : "80");
				String nonProxy = properties.getProperty("http.nonProxyHosts", JVM_DEFAULT_NON_PROXY_HOSTS);
				return new Resolved("http://" + host.trim() + ":" + port.trim(), java.util.List.of(nonProxy));
			}
		}
		for (String variable : new String[] { "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy" }) {
			String url = environment.get(variable);
			if (url != null && !url.isBlank()) {
				String noProxy = environment.getOrDefault("NO_PROXY", environment.getOrDefault("no_proxy", ""));
				return new Resolved(url.contains("://") ? url.trim() : "http://" + url.trim(),
						noProxy.isBlank() ? java.util.List.of() : java.util.List.of(noProxy));
			}
		}
		return null;
	}

	/**
	 * A proxy found in the environment.
	 *
	 * @param url the proxy URL
	 * @param nonProxyHosts the hosts that bypass it
	 */
	record Resolved(String url, java.util.List<String> nonProxyHosts) {
	}

	/**
	 * Parse a proxy URL.
	 * @param proxy the URL
	 * @return the settings
	 * @throws IllegalArgumentException naming the proxy (without its password) and the problem
	 */
	static ProxySettings parse(String proxy) {
		URI uri;
		try {
			uri = new URI(proxy.trim());
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("proxy '" + redact(proxy) + "' is not a valid URL", null);
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		ProxyProvider.Proxy type;
		int defaultPort;
		switch (scheme) {
			case "http" -> {
				type = ProxyProvider.Proxy.HTTP;
				defaultPort = 80;
			}
			case "socks4" -> {
				type = ProxyProvider.Proxy.SOCKS4;
				defaultPort = 1080;
			}
			case "socks5" -> {
				type = ProxyProvider.Proxy.SOCKS5;
				defaultPort = 1080;
			}
			default -> throw new IllegalArgumentException("proxy '" + redact(proxy)
					+ "' must start with http://, socks4:// or socks5://");
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			throw new IllegalArgumentException("proxy '" + redact(proxy) + "' has no host");
		}
		for (char c : proxy.toCharArray()) {
			if (c == '\r' || c == '\n' || c == '\0') {
				throw new IllegalArgumentException("proxy '" + redact(proxy) + "' contains CR, LF or NUL");
			}
		}
		String username = null;
		String password = null;
		String userInfo = uri.getRawUserInfo();
		if (userInfo != null) {
			int colon = userInfo.indexOf(':');
			username = decode((colon >= 0) ? userInfo.substring(0, colon) : userInfo);
			password = (colon >= 0) ? decode(userInfo.substring(colon + 1)) : null;
		}
		return new ProxySettings(type, uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : defaultPort, username,
				password);
	}

	/**
	 * Return the proxy URL with any password replaced by {@code ***}.
	 * @param proxy the URL
	 * @return the redacted URL
	 */
	static String redact(String proxy) {
		int at = proxy.lastIndexOf('@');
		int schemeEnd = proxy.indexOf("://");
		if (at < 0 || schemeEnd < 0 || at < schemeEnd) {
			return proxy;
		}
		return proxy.substring(0, schemeEnd + 3) + "***" + proxy.substring(at);
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return this.type + " proxy " + this.host + ":" + this.port;
	}

}
