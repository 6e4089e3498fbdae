package io.pepperpy.network.http;

import java.util.List;

import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The cipher suites and protocols a client's TLS handshake may use (an SSL bundle's {@code options}), or
 * {@code null} for the JDK's defaults.
 *
 * @param ciphers the cipher suites, or {@code null}
 * @param protocols the protocols, such as {@code TLSv1.3}, or {@code null}
 */
record TlsOptions(@Nullable List<String> ciphers, @Nullable List<String> protocols) {

	static final TlsOptions DEFAULTS = new TlsOptions(null, null);

	void applyTo(SslContextBuilder builder) {
		if (this.ciphers != null && !this.ciphers.isEmpty()) {
			builder.ciphers(this.ciphers);
		}
		if (this.protocols != null && !this.protocols.isEmpty()) {
			builder.protocols(this.protocols);
		}
	}

}
