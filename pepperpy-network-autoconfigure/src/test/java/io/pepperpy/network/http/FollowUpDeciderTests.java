package io.pepperpy.network.http;

import java.net.URI;
import java.time.Duration;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.limit.RateGate;
import io.pepperpy.network.internal.limit.RateLimitListener;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry and redirect rules of {@link FollowUpDecider}, table-driven and without a server: each row is a
 * failed attempt (its kind, status and request) and what must follow it.
 */
class FollowUpDeciderTests {

	private static final WebClient WEB_CLIENT = WebClient.create();

	private static final HttpConfig CONFIG = HttpConfig.builder()
		.retries(3)
		.retryDelay(Duration.ofMillis(100))
		.retryBackoffMultiplier(2.0)
		.retryJitter(Duration.ZERO)
		.retryAfterMax(Duration.ofSeconds(30))
		.followRedirects(true)
		.build();

	@ParameterizedTest(name = "{0} {1} on {2}, attempt {4} of 1+{5}: {6}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			# kind     | status | method | one-shot | attempt | retries | follows             | delay | refusal
			CONNECT    | 0      | POST   | false    | 1       | 3       | retry               | 100   | -
			TIMEOUT    | 0      | GET    | false    | 1       | 3       | retry               | 100   | -
			IO         | 0      | PUT    | false    | 1       | 3       | retry               | 100   | -
			PROTOCOL   | 0      | DELETE | false    | 1       | 3       | retry               | 100   | -
			STATUS     | 503    | GET    | false    | 1       | 3       | retry               | 100   | -
			STATUS     | 429    | HEAD   | false    | 1       | 3       | retry               | 100   | -
			TIMEOUT    | 0      | POST   | false    | 1       | 3       | fail                | -     | is not idempotent
			STATUS     | 500    | PATCH  | false    | 1       | 3       | fail                | -     | is not idempotent
			IO         | 0      | GET    | true     | 1       | 3       | fail                | -     | one-shot stream
			CONNECT    | 0      | GET    | true     | 1       | 3       | retry               | 100   | -
			STATUS     | 404    | GET    | false    | 1       | 3       | fail                | -     | -
			TLS        | 0      | GET    | false    | 1       | 3       | fail                | -     | -
			RATE_LIMITED | 0    | GET    | false    | 1       | 3       | fail                | -     | -
			INTERCEPTOR | 0     | GET    | false    | 1       | 3       | fail                | -     | -
			DECODING   | 0      | GET    | false    | 1       | 3       | fail                | -     | -
			TIMEOUT    | 0      | GET    | false    | 4       | 3       | fail                | -     | -
			TIMEOUT    | 0      | GET    | false    | 1       | 0       | fail                | -     | -
			""")
	void decidesEachFailure(NetworkException.Kind kind, int status, String method, boolean oneShot, int attempt,
			int retries, String follows, @Nullable Long delay, @Nullable String refusal) {
		CallState<Object> state = state(CONFIG, HttpMethod.valueOf(method), oneShot, retries, null, attempt);
		FollowUpDecider.Decision decision = decider(CONFIG).decide(state, failure(kind, status, new HttpHeaders()));
		assertThat(decision.retry()).isEqualTo(follows.equals("retry"));
		if (delay != null) {
			assertThat(decision.delayMillis()).isEqualTo(delay);
		}
		if (refusal != null) {
			assertThat(decision.refusal()).contains(refusal);
		}
		else {
			assertThat(decision.refusal()).isNull();
		}
	}

	@Test
	void eachRetryOfACallBacksOffFurther() {
		FollowUpDecider decider = decider(CONFIG);
		CallState<Object> state = state(CONFIG, HttpMethod.GET, false, 3, null, 1);
		NetworkException timeout = failure(NetworkException.Kind.TIMEOUT, 0, new HttpHeaders());
		assertThat(decider.decide(state, timeout).delayMillis()).isEqualTo(100);
		state.attempt = 2;
		assertThat(decider.decide(state, timeout).delayMillis()).isEqualTo(200);
		state.attempt = 3;
		assertThat(decider.decide(state, timeout).delayMillis()).isEqualTo(400);
		state.attempt = 4;
		assertThat(decider.decide(state, timeout).retry()).isFalse();
	}

	@Test
	void retryAfterSetsTheDelayAndPausesTheClientOn429() {
		RateGate gate = new RateGate(0, System::nanoTime, RateLimitListener.NONE);
		FollowUpDecider decider = decider(CONFIG, gate, new RetryBudget(10, 10, System::nanoTime));
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "2");
		FollowUpDecider.Decision decision = decider.decide(state(CONFIG, HttpMethod.GET, false, 3, null, 1),
				failure(NetworkException.Kind.STATUS, 429, headers));
		assertThat(decision.delayMillis()).isEqualTo(2000);
		assertThat(gate.pausedFor()).isGreaterThan(Duration.ofMillis(1500));
	}

	@Test
	void retryAfterBeyondTheCapFailsAtOnce() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "120");
		FollowUpDecider.Decision decision = decider(CONFIG).decide(state(CONFIG, HttpMethod.GET, false, 3, null, 1),
				failure(NetworkException.Kind.STATUS, 503, headers));
		assertThat(decision.retry()).isFalse();
		assertThat(decision.refusal()).contains("Retry-After").contains("retry-after-max 30 s");
	}

	@Test
	void aRetryThatWouldStartAfterTheDeadlineIsRefused() {
		FollowUpDecider.Decision decision = decider(CONFIG).decide(
				state(CONFIG, HttpMethod.GET, false, 3, Duration.ofMillis(50), 1),
				failure(NetworkException.Kind.TIMEOUT, 0, new HttpHeaders()));
		assertThat(decision.retry()).isFalse();
		assertThat(decision.refusal()).contains("after the deadline of 50 ms");
	}

	@Test
	void aSpentBudgetRefusesTheRetry() {
		RateGate gate = new RateGate(0, System::nanoTime, RateLimitListener.NONE);
		FollowUpDecider decider = decider(CONFIG, gate, new RetryBudget(0, 0, System::nanoTime));
		FollowUpDecider.Decision decision = decider.decide(state(CONFIG, HttpMethod.GET, false, 3, null, 1),
				failure(NetworkException.Kind.IO, 0, new HttpHeaders()));
		assertThat(decision.retry()).isFalse();
		assertThat(decision.refusal()).contains("retry budget");
	}

	@Test
	void aCustomPredicateCanRetryWhatTheRulesWouldNot() {
		HttpConfig config = CONFIG.toBuilder()
			.retryPredicate((method, url, failure, wouldRetry) -> failure.status() == 404)
			.build();
		FollowUpDecider.Decision decision = decider(config).decide(state(config, HttpMethod.GET, false, 3, null, 1),
				failure(NetworkException.Kind.STATUS, 404, new HttpHeaders()));
		assertThat(decision.retry()).isTrue();
	}

	@Test
	void aStatusErrorIsNeverDecidedTwice() {
		NetworkException status = failure(NetworkException.Kind.STATUS, 503, new HttpHeaders());
		FollowUpDecider.FollowUp next = decider(CONFIG).onFailure(state(CONFIG, HttpMethod.GET, false, 3, null, 1),
				status);
		assertThat(next).isEqualTo(new FollowUpDecider.Fail(status));
	}

	@ParameterizedTest(name = "{0} {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			# status | method | follows
			200      | GET    | Deliver
			204      | POST   | Deliver
			503      | GET    | Retry
			404      | GET    | RaiseStatus
			500      | POST   | RaiseStatus
			302      | GET    | Redirect
			""")
	void decidesEachResponse(int status, String method, String follows) {
		ClientResponse response = ClientResponse.create(HttpStatusCode.valueOf(status))
			.header(HttpHeaders.LOCATION, "/elsewhere")
			.build();
		CallState<Object> state = state(CONFIG, HttpMethod.valueOf(method), false, 3, null, 1);
		FollowUpDecider.FollowUp next = decider(CONFIG).onResponse(state, request(state, new HttpHeaders()), response,
				0, false);
		assertThat(next.getClass().getSimpleName()).isEqualTo(follows);
	}

	@Test
	void aRedirectToAnotherOriginDropsCredentialsAnd303BecomesGet() {
		HttpHeaders headers = new HttpHeaders();
		headers.setBearerAuth("secret");
		headers.set(HttpHeaders.CONTENT_TYPE, "application/json");
		headers.set("X-Trace", "kept");
		ClientResponse response = ClientResponse.create(HttpStatusCode.valueOf(303))
			.header(HttpHeaders.LOCATION, "https://other.example/done")
			.build();
		CallState<Object> state = state(CONFIG, HttpMethod.POST, false, 3, null, 1);
		FollowUpDecider.FollowUp next = decider(CONFIG).onResponse(state, request(state, headers), response, 0, true);
		assertThat(next).isInstanceOf(FollowUpDecider.Redirect.class);
		FollowUpDecider.Redirect redirect = (FollowUpDecider.Redirect) next;
		assertThat(redirect.sendBody()).isFalse();
		assertThat(redirect.next().method()).isEqualTo(HttpMethod.GET);
		assertThat(redirect.next().url()).isEqualTo(URI.create("https://other.example/done"));
		assertThat(redirect.next().headers().containsHeader(HttpHeaders.AUTHORIZATION)).isFalse();
		assertThat(redirect.next().headers().containsHeader(HttpHeaders.CONTENT_TYPE)).isFalse();
		assertThat(redirect.next().headers().getFirst("X-Trace")).isEqualTo("kept");
	}

	@Test
	void redirectsStopAtMaxRedirectsAndRefuseOtherSchemes() {
		CallState<Object> state = state(CONFIG, HttpMethod.GET, false, 3, null, 1);
		ClientResponse again = ClientResponse.create(HttpStatusCode.valueOf(302))
			.header(HttpHeaders.LOCATION, "/a")
			.build();
		FollowUpDecider.FollowUp tooMany = decider(CONFIG).onResponse(state, request(state, new HttpHeaders()), again,
				CONFIG.redirects().max(), false);
		assertThat(((FollowUpDecider.Fail) tooMany).error().getMessage()).contains("max-redirects");
		ClientResponse file = ClientResponse.create(HttpStatusCode.valueOf(302))
			.header(HttpHeaders.LOCATION, "file:///etc/passwd")
			.build();
		FollowUpDecider.FollowUp refused = decider(CONFIG).onResponse(state, request(state, new HttpHeaders()), file, 0,
				false);
		assertThat(((FollowUpDecider.Fail) refused).error().kind()).isEqualTo(NetworkException.Kind.PROTOCOL);
	}

	private static FollowUpDecider decider(HttpConfig config) {
		return decider(config, new RateGate(0, System::nanoTime, RateLimitListener.NONE),
				new RetryBudget(10, 10, System::nanoTime));
	}

	private static FollowUpDecider decider(HttpConfig config, RateGate gate, RetryBudget budget) {
		return new FollowUpDecider(config, gate, budget, new ClientMetrics(null, "test", false),
				LoggerFactory.getLogger(FollowUpDeciderTests.class));
	}

	private static CallState<Object> state(HttpConfig config, HttpMethod method, boolean oneShot, int retries,
			@Nullable Duration deadline, int attempt) {
		Call call = new Call(method, URI.create("https://api.example/users/1"), new Redactor(config.observability().redactHeaders(),
				config.observability().redactQueryParams()), "/users/{id}", new HttpHeaders(), null, oneShot, WEB_CLIENT,
				config.timeouts().attempt(), deadline, retries, false, config.retry().settings().delay(), true, false);
		CallState<Object> state = new CallState<>(call, (c, response) -> Mono.empty(),
				new ClientMetrics(null, "test", false), false);
		state.attempt = attempt;
		return state;
	}

	private static InterceptedRequest request(CallState<?> state, HttpHeaders headers) {
		return new InterceptedRequest(state.call.method(), state.call.url(), state.call.uriTemplate(), headers, 1,
				state.call.redactor());
	}

	private static NetworkException failure(NetworkException.Kind kind, int status, HttpHeaders headers) {
		if (kind == NetworkException.Kind.STATUS) {
			return NetworkException.status("GET", "https://api.example/users/1", status, "reason", headers, null);
		}
		return NetworkException.of(kind, "attempt failed", "GET", "https://api.example/users/1", null);
	}

}
