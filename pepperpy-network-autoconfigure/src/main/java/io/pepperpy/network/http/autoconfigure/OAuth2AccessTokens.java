package io.pepperpy.network.http.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pepperpy.network.http.AccessTokenSource;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;

/**
 * A client's access tokens from Spring Security's service-based authorized-client manager, client credentials
 * grant, for {@code oauth2.registration-id}. It exists because Spring Security applies one configuration to every
 * WebClient and fetches on every concurrent miss, while a client here needs its own registration, one token
 * request in flight however many calls wait for it, and a cached token read without Reactor operators.
 * <p>
 * The token is kept until it is within {@code oauth2.clock-skew} of its expiry (the provider uses the same skew),
 * so it works outside a web request. Only this class touches Spring Security, so the starter links without it.
 */
final class OAuth2AccessTokens implements AccessTokenSource {

	private static final String TOKEN_REQUESTS = "pepperpy.http.client.oauth2.token.requests";

	private static final String TOKEN_REQUEST_TIME = "pepperpy.http.client.oauth2.token.request";

	private final String registrationId;

	private final String principal;

	private final AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager;

	private final ReactiveOAuth2AuthorizedClientService service;

	private final Duration clockSkew;

	private final Clock clock = Clock.systemUTC();

	private final @Nullable Counter success;

	private final @Nullable Counter failure;

	private final @Nullable Timer timer;

	/** The cached token, or {@code null}. */
	private volatile @Nullable Cached cached;

	/** The token request in flight, shared by every call that waits for a token. */
	private final AtomicReference<@Nullable Mono<String>> inFlight = new AtomicReference<>();

	private OAuth2AccessTokens(String client, String registrationId, ReactiveClientRegistrationRepository registrations,
			ReactiveOAuth2AuthorizedClientService service, Duration clockSkew, @Nullable MeterRegistry meters) {
		this.registrationId = registrationId;
		this.principal = "pepperpy-network-http-client-" + client;
		this.service = service;
		this.clockSkew = clockSkew;
		this.manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(registrations, service);
		ClientCredentialsReactiveOAuth2AuthorizedClientProvider provider = new ClientCredentialsReactiveOAuth2AuthorizedClientProvider();
		provider.setClockSkew(clockSkew);
		this.manager.setAuthorizedClientProvider(provider);
		if (meters != null) {
			this.success = Counter.builder(TOKEN_REQUESTS)
				.description("OAuth2 token requests of an HTTP client, by outcome")
				.tags("client", client, "registration", registrationId, "outcome", "SUCCESS")
				.register(meters);
			this.failure = Counter.builder(TOKEN_REQUESTS)
				.description("OAuth2 token requests of an HTTP client, by outcome")
				.tags("client", client, "registration", registrationId, "outcome", "FAILURE")
				.register(meters);
			this.timer = Timer.builder(TOKEN_REQUEST_TIME)
				.description("Time of an HTTP client's OAuth2 token requests")
				.tags("client", client, "registration", registrationId)
				.register(meters);
		}
		else {
			this.success = null;
			this.failure = null;
			this.timer = null;
		}
	}

	/**
	 * Make the token source of client {@code client} from the application's registrations (the reactive
	 * repository when Boot published one, else the servlet one) and authorized-client service (Boot's, else one in
	 * memory).
	 * @throws IllegalStateException naming {@code property} when the registration does not exist
	 */
	static OAuth2AccessTokens of(String client, String registrationId, Duration clockSkew, String property,
			ListableBeanFactory beanFactory) {
		ReactiveClientRegistrationRepository reactive = beanFactory
			.getBeanProvider(ReactiveClientRegistrationRepository.class)
			.getIfUnique();
		ReactiveClientRegistrationRepository registrations;
		if (reactive != null) {
			if (reactive instanceof Iterable<?> known && !contains(known, registrationId)) {
				throw missing(property, registrationId);
			}
			registrations = reactive;
		}
		else {
			ClientRegistrationRepository servlet = beanFactory.getBeanProvider(ClientRegistrationRepository.class)
				.getIfUnique();
			ClientRegistration registration = (servlet != null) ? servlet.findByRegistrationId(registrationId) : null;
			if (registration == null) {
				throw missing(property, registrationId);
			}
			registrations = new InMemoryReactiveClientRegistrationRepository(registration);
		}
		ReactiveOAuth2AuthorizedClientService service = beanFactory
			.getBeanProvider(ReactiveOAuth2AuthorizedClientService.class)
			.getIfUnique(() -> new InMemoryReactiveOAuth2AuthorizedClientService(registrations));
		return new OAuth2AccessTokens(client, registrationId, registrations, service, clockSkew,
				beanFactory.getBeanProvider(MeterRegistry.class).getIfUnique());
	}

	private static boolean contains(Iterable<?> registrations, String registrationId) {
		for (Object registration : registrations) {
			if (registration instanceof ClientRegistration known
					&& known.getRegistrationId().equals(registrationId)) {
				return true;
			}
		}
		return false;
	}

	private static IllegalStateException missing(String property, String registrationId) {
		return new IllegalStateException(property + " is '" + registrationId + "', but there is no such OAuth2 "
				+ "client registration (spring.security.oauth2.client.registration." + registrationId + ".*)");
	}

	@Override
	public Mono<String> token() {
		Cached current = this.cached;
		if (current != null && (current.expiresAt == null
				|| this.clock.instant().isBefore(current.expiresAt.minus(this.clockSkew)))) {
			return current.mono;
		}
		Mono<String> running = this.inFlight.get();
		if (running != null) {
			return running;
		}
		AtomicReference<@Nullable Mono<String>> self = new AtomicReference<>();
		Mono<String> request = fetch().doFinally((signal) -> this.inFlight.compareAndSet(self.get(), null)).cache();
		self.set(request);
		return this.inFlight.compareAndSet(null, request) ? request : token();
	}

	private Mono<String> fetch() {
		OAuth2AuthorizeRequest authorize = OAuth2AuthorizeRequest.withClientRegistrationId(this.registrationId)
			.principal(this.principal)
			.build();
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return this.manager.authorize(authorize)
				.switchIfEmpty(Mono.error(() -> new IllegalStateException("OAuth2 registration '"
						+ this.registrationId + "' gave no access token (is its authorization-grant-type "
						+ "client_credentials?)")))
				.map((client) -> {
					OAuth2AccessToken token = client.getAccessToken();
					this.cached = new Cached(token.getTokenValue(), Mono.just(token.getTokenValue()), token.getExpiresAt());
					return token.getTokenValue();
				})
				.doOnEach((signal) -> {
					if (signal.isOnNext() || signal.isOnError()) {
						record(signal.isOnNext(), System.nanoTime() - start);
					}
				})
				.onErrorMap((ex) -> new IllegalStateException(describe(ex)));
		});
	}

	private void record(boolean succeeded, long nanos) {
		Counter counter = succeeded ? this.success : this.failure;
		if (counter != null && this.timer != null) {
			counter.increment();
			this.timer.record(Duration.ofNanos(nanos));
		}
	}

	/**
	 * Describe a failed token request by the registration and the endpoint's OAuth2 error code and description,
	 * never by anything sent (the client secret) or received besides.
	 */
	private String describe(Throwable ex) {
		String prefix = "no access token for OAuth2 registration '" + this.registrationId + "': ";
		if (ex instanceof OAuth2AuthorizationException oauth2) {
			String description = oauth2.getError().getDescription();
			return prefix + "the token endpoint answered " + oauth2.getError().getErrorCode()
					+ ((description != null) ? " (" + description + ")" : "");
		}
		return prefix + ex.getClass().getSimpleName() + ((ex.getMessage() != null) ? ": " + ex.getMessage() : "");
	}

	@Override
	public Mono<Void> invalidate(String token) {
		Cached current = this.cached;
		if (current == null || !token.equals(current.value)) {
			return Mono.empty();
		}
		this.cached = null;
		return this.service.removeAuthorizedClient(this.registrationId, this.principal);
	}

	private record Cached(String value, Mono<String> mono, @Nullable Instant expiresAt) {
	}

}
