package io.pepperpy.network.http;

import io.micrometer.common.KeyValue;

import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;

/**
 * Spring's {@code http.client.requests} convention (under the name Boot's
 * {@code management.observations.http.client.requests.name} gives it) with {@code client.name} set to the pepperpy client's name
 * (instead of the host), {@code uri} without the query, and the high-cardinality {@code http.url} redacted like
 * our log lines.
 */
final class ClientObservationConvention extends DefaultClientRequestObservationConvention {

	private final KeyValue clientName;

	private final Redactor redactor;

	private final java.util.function.UnaryOperator<String> uriTag;

	ClientObservationConvention(String observationName, String clientName, Redactor redactor,
			java.util.function.UnaryOperator<String> uriTag) {
		super(observationName);
		this.clientName = KeyValue.of("client.name", clientName);
		this.redactor = redactor;
		this.uriTag = uriTag;
	}

	/**
	 * The URI template without its query (which may hold literal secrets) and with the client's cardinality cap,
	 * the same value as the {@code uri} tag of the client's own meters.
	 */
	@Override
	protected KeyValue uri(ClientRequestObservationContext context) {
		String template = context.getUriTemplate();
		return (template != null) ? KeyValue.of("uri", this.uriTag.apply(template)) : super.uri(context);
	}

	@Override
	protected KeyValue clientName(ClientRequestObservationContext context) {
		return this.clientName;
	}

	@Override
	protected KeyValue httpUrl(ClientRequestObservationContext context) {
		if (context.getRequest() == null) {
			return super.httpUrl(context);
		}
		return KeyValue.of("http.url", this.redactor.url(context.getRequest().url()));
	}

}
