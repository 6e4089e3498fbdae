package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A client's {@code oauth2.*} properties: the Spring Security client registration whose client credentials
 * token the client sends, kept apart from the other properties because they take effect only with
 * {@code spring-security-oauth2-client} on the classpath.
 */
public class OAuth2Properties {

	/**
	 * Spring Security OAuth2 client registration (spring.security.oauth2.client.registration.<id>) whose client
	 * credentials token is sent as Authorization: Bearer on every attempt.
	 */
	private @Nullable String registrationId;

	/**
	 * How long before its expiry a cached token is replaced by a fresh one.
	 */
	private Duration clockSkew = Duration.ofSeconds(30);

	public @Nullable String getRegistrationId() {
		return this.registrationId;
	}

	public void setRegistrationId(@Nullable String registrationId) {
		this.registrationId = registrationId;
	}

	public Duration getClockSkew() {
		return this.clockSkew;
	}

	public void setClockSkew(Duration clockSkew) {
		this.clockSkew = clockSkew;
	}

}
