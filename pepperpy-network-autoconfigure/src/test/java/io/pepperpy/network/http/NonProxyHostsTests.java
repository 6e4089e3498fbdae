package io.pepperpy.network.http;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link NonProxyHosts} and the environment's proxy ({@code proxy: system}).
 */
class NonProxyHostsTests {

	@Test
	void theJvmFormAListAndTheNoProxyFormAllMatch() {
		NonProxyHosts hosts = NonProxyHosts.of(List.of("localhost|*.internal|10.0.*", "api.partner.com",
				".corp.example,cache:6379"));
		assertThat(hosts.matches("localhost")).isTrue();
		assertThat(hosts.matches("LOCALHOST")).isTrue();
		assertThat(hosts.matches("billing.internal")).isTrue();
		assertThat(hosts.matches("internal")).isTrue();
		assertThat(hosts.matches("10.0.3.4")).isTrue();
		assertThat(hosts.matches("api.partner.com")).isTrue();
		assertThat(hosts.matches("x.corp.example")).isTrue();
		assertThat(hosts.matches("cache")).isTrue();
		assertThat(hosts.matches("partner.com")).isFalse();
		assertThat(hosts.matches("evilinternal")).isFalse();
		assertThat(hosts.matches("10.1.0.1")).isFalse();
		assertThat(hosts.test(InetSocketAddress.createUnresolved("a.internal", 443))).isTrue();
	}

	@Test
	void aStarBypassesEveryHostAndNothingBypassesNone() {
		assertThat(NonProxyHosts.of(List.of("*")).matches("anything.example")).isTrue();
		assertThat(NonProxyHosts.of(List.of()).matches("localhost")).isFalse();
	}

	@Test
	void anEntryThatIsNoHostIsRefusedByName() {
		assertThatIllegalArgumentException().isThrownBy(() -> NonProxyHosts.of(List.of("http://x/y")))
			.withMessageContaining("non-proxy-hosts entry 'http://x/y'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HttpConfig.builder().nonProxyHosts(List.of("a b")).build())
			.withMessageContaining("non-proxy-hosts");
	}

	@Test
	void theSystemProxyComesFromTheJvmPropertiesFirst() {
		Properties properties = new Properties();
		properties.setProperty("https.proxyHost", "proxy.corp");
		properties.setProperty("https.proxyPort", "3128");
		properties.setProperty("http.nonProxyHosts", "*.corp|localhost");
		ProxySettings.Resolved resolved = ProxySettings.system(properties,
				Map.of("HTTPS_PROXY", "http://other:8080"));
		assertThat(resolved.url()).isEqualTo("http://proxy.corp:3128");
		assertThat(resolved.nonProxyHosts()).containsExactly("*.corp|localhost");
	}

	@Test
	void withoutANonProxyListTheJvmPropertiesKeepTheJvmDefault() {
		Properties properties = new Properties();
		properties.setProperty("http.proxyHost", "proxy.corp");
		ProxySettings.Resolved resolved = ProxySettings.system(properties, Map.of());
		assertThat(resolved.url()).isEqualTo("http://proxy.corp:80");
		assertThat(NonProxyHosts.of(resolved.nonProxyHosts()).matches("127.0.0.1")).isTrue();
	}

	@Test
	void theSystemProxyComesFromTheContainerVariablesOtherwise() {
		ProxySettings.Resolved resolved = ProxySettings.system(new Properties(),
				Map.of("https_proxy", "user:pw@proxy.corp:3128", "NO_PROXY", ".svc.cluster.local,10.0.0.1"));
		assertThat(resolved.url()).isEqualTo("http://user:pw@proxy.corp:3128");
		assertThat(NonProxyHosts.of(resolved.nonProxyHosts()).matches("db.svc.cluster.local")).isTrue();
		assertThat(ProxySettings.system(new Properties(), Map.of())).isNull();
	}

}
