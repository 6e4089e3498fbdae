package io.pepperpy.network.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import reactor.netty.tcp.SslProvider;

/**
 * A client's TLS material and how it becomes Reactor Netty's TLS set-up, written once for the HTTP and the TCP
 * client: the key and trust managers (an SSL bundle's, or none for the JDK's), the cipher suites and protocols the
 * handshake may use (the bundle's {@code options}), and what {@code verify-ssl: false} means (trust any certificate,
 * check no host name, and one WARN naming the client). The protocol chooses the context (with HTTP/2, one that
 * offers {@code h2} in ALPN) and the handshake timeout. Immutable.
 */
public final class TlsSetup {

	/**
	 * No key or trust managers and the JDK's cipher suites and protocols.
	 */
	public static final TlsSetup NONE = new TlsSetup(null, null, null, null);

	private final @Nullable KeyManagerFactory keyManagers;

	private final @Nullable TrustManagerFactory trustManagers;

	private final @Nullable List<String> ciphers;

	private final @Nullable List<String> protocols;

	private TlsSetup(@Nullable KeyManagerFactory keyManagers, @Nullable TrustManagerFactory trustManagers,
			@Nullable List<String> ciphers, @Nullable List<String> protocols) {
		this.keyManagers = keyManagers;
		this.trustManagers = trustManagers;
		this.ciphers = ciphers;
		this.protocols = protocols;
	}

	/**
	 * Return a copy with these key and trust managers.
	 * @param keyManagers the key managers (a client certificate), or {@code null} for none
	 * @param trustManagers the trust managers, or {@code null} for the JDK's trust store
	 * @return the copy
	 */
	public TlsSetup withManagers(@Nullable KeyManagerFactory keyManagers,
			@Nullable TrustManagerFactory trustManagers) {
		return new TlsSetup(keyManagers, trustManagers, this.ciphers, this.protocols);
	}

	/**
	 * Return a copy whose handshake may use only these cipher suites and protocols.
	 * @param ciphers the cipher suites, or {@code null} (or empty) for the JDK's
	 * @param protocols the protocols, such as {@code TLSv1.3}, or {@code null} (or empty) for the JDK's
	 * @return the copy
	 */
	public TlsSetup withOptions(@Nullable Collection<String> ciphers, @Nullable Collection<String> protocols) {
		return new TlsSetup(this.keyManagers, this.trustManagers, listOrNull(ciphers), listOrNull(protocols));
	}

	private static @Nullable List<String> listOrNull(@Nullable Collection<String> values) {
		return (values == null || values.isEmpty()) ? null : List.copyOf(values);
	}

	/**
	 * Return whether key or trust managers were given.
	 * @return whether there is TLS material
	 */
	public boolean hasManagers() {
		return this.keyManagers != null || this.trustManagers != null;
	}

	/**
	 * Log the one warning of a client that does not verify certificates or host names.
	 * @param logger the client's logger
	 * @param client the client as messages name it, such as {@code HTTP client 'orders'}
	 */
	public static void warnUnverified(Logger logger, String client) {
		logger.warn("{} does not verify TLS certificates or host names (verify-ssl: false): "
				+ "use this only against test servers", client);
	}

	/**
	 * Configure a connector's TLS: the context with this material and options, trusting any certificate and
	 * checking no host name when {@code verify} is off, and checking the host name ({@code HTTPS} endpoint
	 * identification) when it is on.
	 * @param spec Reactor Netty's TLS spec, as {@code secure(..)} hands it
	 * @param context the protocol's context: {@code TcpSslContextSpec.forClient()}, or an HTTP/1.1 or HTTP/2 one,
	 * which decides what ALPN offers
	 * @param verify whether certificates and host names are verified
	 * @param handshakeTimeout the handshake's bound, or {@code null} for Reactor Netty's
	 */
	public void configure(SslProvider.SslContextSpec spec, SslProvider.ProtocolSslContextSpec context,
			boolean verify, @Nullable Duration handshakeTimeout) {
		SslProvider.Builder builder = spec.sslContext(context.configure((ssl) -> apply(ssl, verify)))
			.handlerConfigurator((handler) -> identifyEndpoint(handler, verify));
		if (handshakeTimeout != null) {
			builder.handshakeTimeout(handshakeTimeout);
		}
	}

	private void apply(SslContextBuilder ssl, boolean verify) {
		if (!verify) {
			ssl.trustManager(InsecureTrustManagerFactory.INSTANCE);
		}
		else if (this.trustManagers != null) {
			ssl.trustManager(this.trustManagers);
		}
		if (this.keyManagers != null) {
			ssl.keyManager(this.keyManagers);
		}
		if (this.ciphers != null) {
			ssl.ciphers(this.ciphers);
		}
		if (this.protocols != null) {
			ssl.protocols(this.protocols);
		}
	}

	private static void identifyEndpoint(SslHandler handler, boolean verify) {
		SSLEngine engine = handler.engine();
		SSLParameters parameters = engine.getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm(verify ? "HTTPS" : null);
		engine.setSSLParameters(parameters);
	}

}
