package io.pepperpy.network.tcp;

import java.nio.file.Path;

/**
 * Gives tests in other packages the self-signed key store of {@link TcpTlsTests}.
 */
public final class TcpTlsTestSupport {

	private TcpTlsTestSupport() {
	}

	/**
	 * Generate a PKCS12 key store (password {@code changeit}) for 127.0.0.1 and localhost.
	 * @param directory where to write it
	 * @return the file
	 * @throws Exception if keytool fails
	 */
	public static Path generateKeyStore(Path directory) throws Exception {
		return TcpTlsTests.generateKeyStore(directory);
	}

}
