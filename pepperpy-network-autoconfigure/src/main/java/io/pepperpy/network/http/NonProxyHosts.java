package io.pepperpy.network.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The hosts a client reaches without its proxy, in the forms users already write: YAML list entries, the JVM's
 * {@code http.nonProxyHosts} form ({@code a|*.b|localhost}), and the {@code NO_PROXY} form of containers
 * ({@code a,.b,c:8080}). An entry is a host name or address (case-insensitive), {@code *.domain} or
 * {@code .domain} for the domain and its subdomains, {@code prefix*} for names that start so, or {@code *} for
 * every host. A {@code :port} after an entry (as {@code NO_PROXY} allows) is ignored: the proxy is bypassed for
 * the host on every port.
 */
final class NonProxyHosts implements Predicate<SocketAddress> {

	private static final NonProxyHosts NONE = new NonProxyHosts(List.of());

	private final List<String> patterns;

	private NonProxyHosts(List<String> patterns) {
		this.patterns = patterns;
	}

	/**
	 * Parse entries, each of which may hold several separated by {@code |} or {@code ,}.
	 * @throws IllegalArgumentException naming an entry with characters a host cannot have
	 */
	static NonProxyHosts of(List<String> entries) {
		List<String> patterns = new ArrayList<>();
		for (String entry : entries) {
			for (String part : entry.split("[|,]")) {
				String pattern = part.trim().toLowerCase(Locale.ROOT);
				if (pattern.isEmpty()) {
					continue;
				}
				if (!pattern.matches("[a-z0-9.*:_\\[\\]-]+")) {
					throw new IllegalArgumentException("non-proxy-hosts entry '" + part.trim()
							+ "' is not a host name, address or *.domain pattern");
				}
				if (pattern.startsWith("[") && pattern.contains("]")) {
					pattern = pattern.substring(1, pattern.indexOf(']'));
				}
				else if (pattern.indexOf(':') == pattern.lastIndexOf(':') && pattern.indexOf(':') > 0) {
					pattern = pattern.substring(0, pattern.indexOf(':'));
				}
				patterns.add(pattern);
			}
		}
		return patterns.isEmpty() ? NONE : new NonProxyHosts(List.copyOf(patterns));
	}

	@Override
	public boolean test(SocketAddress address) {
		if (this.patterns.isEmpty() || !(address instanceof InetSocketAddress inet)) {
			return false;
		}
		return matches(inet.getHostString());
	}

	boolean matches(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		if (name.startsWith("[") && name.endsWith("]")) {
			name = name.substring(1, name.length() - 1);
		}
		for (String pattern : this.patterns) {
			if (pattern.equals("*") || pattern.equals(name)) {
				return true;
			}
			if (pattern.startsWith("*.") || pattern.startsWith(".")) {
				String domain = pattern.substring(pattern.indexOf('.') + 1);
				if (name.equals(domain) || name.endsWith("." + domain)) {
					return true;
				}
			}
			else if (pattern.endsWith("*") && name.startsWith(pattern.substring(0, pattern.length() - 1))) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return String.join("|", this.patterns);
	}

}
