package io.pepperpy.network.http;

import java.util.Locale;
import java.util.function.Function;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.core.publisher.Mono;

import org.springframework.util.ClassUtils;

/**
 * The call stage, applied with {@code transform} around the whole retry loop: the call's deadline, the
 * {@code pepperpy.http.client.calls} meter (through the {@link CallState}), and the
 * {@code pepperpy.http.client.call} observation that parents each attempt's {@code http.client.requests}
 * observation, so a trace shows one span per call with one child per attempt.
 *
 * @param <R> the result type
 */
final class CallOperator<R> implements Function<Mono<R>, Mono<R>> {

	/**
	 * The call-level observation exists to parent the attempts' spans; without Micrometer Tracing it would only
	 * duplicate {@code pepperpy.http.client.calls} at the cost of an observation per call.
	 */
	private static final boolean TRACING_PRESENT = ClassUtils.isPresent("io.micrometer.tracing.Tracer",
			CallOperator.class.getClassLoader());

	private final CallState<R> state;

	private final String clientName;

	private final boolean metered;

	private final ObservationRegistry observations;

	CallOperator(CallState<R> state, String clientName, boolean metered, ObservationRegistry observations) {
		this.state = state;
		this.clientName = clientName;
		this.metered = metered;
		this.observations = observations;
	}

	@Override
	public Mono<R> apply(Mono<R> calls) {
		Mono<R> result = calls;
		CallState<R> state = this.state;
		if (state.call.deadline() != null) {
			result = result.timeout(state.call.deadline(), Mono.error(state::deadlineExceeded));
		}
		if (this.metered) {
			result = result.tap(() -> state);
		}
		return (TRACING_PRESENT && !this.observations.isNoop()) ? observe(result) : result;
	}

	private Mono<R> observe(Mono<R> result) {
		Call call = this.state.call;
		return Mono.deferContextual((context) -> {
			Observation observation = Observation.createNotStarted("pepperpy.http.client.call", this.observations)
				.contextualName("pepperpy " + call.method().name().toLowerCase(Locale.ROOT))
				.lowCardinalityKeyValue("client.name", this.clientName)
				.lowCardinalityKeyValue("method", call.method().name())
				.lowCardinalityKeyValue("uri", this.state.uriTag)
				.parentObservation(context.getOrDefault(ObservationThreadLocalAccessor.KEY, null))
				.start();
			// Stopped before the result reaches the caller, so the span is complete when the caller sees it.
			return result.doOnSuccess((value) -> observation.stop())
				.doOnError((ex) -> observation.error(ex).stop())
				.doOnCancel(observation::stop)
				.contextWrite((inner) -> inner.put(ObservationThreadLocalAccessor.KEY, observation));
		});
	}

}
