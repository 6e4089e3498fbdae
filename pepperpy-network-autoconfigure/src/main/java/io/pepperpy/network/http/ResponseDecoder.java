package io.pepperpy.network.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

import io.pepperpy.network.NetworkException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * The last stage: turns a delivered response's body into what the caller asked for ({@code byte[]}, text, JSON
 * into a type), and a status the call fails on into a {@link NetworkException} that keeps the start of the body.
 * JSON is parsed straight from the joined response buffers, bounded by {@code max-in-memory-size}, and every
 * buffer is released whatever happens.
 */
final class ResponseDecoder {

	private static final int TRACE_BODY_PREVIEW = 512;

	private static final byte[] NO_BYTES = new byte[0];

	private final JsonMapper jsonMapper;

	private final JavaType objectType;

	private final int maxInMemorySize;

	private final Logger logger;

	ResponseDecoder(JsonMapper jsonMapper, int maxInMemorySize, Logger logger) {
		this.jsonMapper = jsonMapper;
		this.objectType = jsonMapper.constructType(Object.class);
		this.maxInMemorySize = maxInMemorySize;
		this.logger = logger;
	}

	JavaType type(java.lang.reflect.Type type) {
		return this.jsonMapper.constructType(type);
	}

	Mono<Object> read(Call call, ClientResponse response, ResponseFormat format) {
		return switch (format) {
			case BYTES -> readBytes(response).cast(Object.class);
			case TEXT -> readText(response).cast(Object.class);
			case JSON -> readJson(call, response, this.objectType);
		};
	}

	@SuppressWarnings("unchecked")
	<T> Mono<T> read(Call call, ClientResponse response, Class<T> type) {
		if (type == byte[].class) {
			return (Mono<T>) readBytes(response);
		}
		if (type == String.class) {
			return (Mono<T>) readText(response);
		}
		return readJson(call, response, this.jsonMapper.constructType(type));
	}

	/**
	 * Parse JSON straight from the joined response buffers (no intermediate {@code byte[]}), bounded by
	 * {@code max-in-memory-size}; the buffer is released whatever happens.
	 */
	<T> Mono<T> readJson(Call call, ClientResponse response, JavaType type) {
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), this.maxInMemorySize)
			.map((buffer) -> {
				try {
					return this.<T>parseJson(call, buffer, type);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			});
	}

	/**
	 * Decode a response the caller gets whole ({@code exchange}). A 2xx body is decoded as asked. Any other body is
	 * read first (bounded by {@code max-in-memory-size}) and then decoded, so that when it is not what was asked
	 * (an HTML error page where JSON was expected) the caller still gets the status, headers and the start of the
	 * body: as the body, as text of at most {@value NetworkException#MAX_SNIPPET_LENGTH} characters, when
	 * {@code textOnFailure} (the body type is {@code Object}); otherwise as a {@code STATUS}
	 * {@link NetworkException} that carries them.
	 */
	@SuppressWarnings("unchecked")
	<T> Mono<HttpResponse<T>> exchange(Call call, ClientResponse response, ResponseHandler<T> decode,
			boolean textOnFailure) {
		HttpStatusCode status = response.statusCode();
		HttpHeaders headers = response.headers().asHttpHeaders();
		if (status.is2xxSuccessful()) {
			return whole(status, headers, decode.handle(call, response));
		}
		return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()), this.maxInMemorySize)
			.map((buffer) -> {
				try {
					byte[] bytes = new byte[buffer.readableByteCount()];
					buffer.read(bytes);
					return bytes;
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.defaultIfEmpty(NO_BYTES)
			.flatMap((bytes) -> {
				ClientResponse buffered = response.mutate()
					.body((unread) -> (bytes.length == 0) ? Flux.empty()
							: Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes)))
					.build();
				return whole(status, headers, decode.handle(call, buffered)).onErrorResume(
						(ex) -> ex instanceof NetworkException network
								&& network.kind() == NetworkException.Kind.DECODING,
						(ex) -> {
							String text = text(bytes, charset(response));
							return textOnFailure ? Mono.just(new HttpResponse<>(status, headers, (T) text))
									: Mono.error(NetworkException.status(call.method().name(), call.displayUrl(),
											status.value(), FollowUpDecider.reason(status), headers, text));
						});
			});
	}

	private static <T> Mono<HttpResponse<T>> whole(HttpStatusCode status, HttpHeaders headers, Mono<T> body) {
		return body.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.map((decoded) -> new HttpResponse<>(status, headers, decoded.orElse(null)));
	}

	private static String text(byte[] bytes, Charset charset) {
		String text = new String(bytes, charset);
		return (text.length() > NetworkException.MAX_SNIPPET_LENGTH)
				? text.substring(0, NetworkException.MAX_SNIPPET_LENGTH) : text;
	}

	/**
	 * Fail with the response's status: a {@link NetworkException} of kind {@code STATUS} with the status, reason,
	 * headers and the start of the body (decoded with the response's charset, capped).
	 * @param refusal why the status was not retried, or {@code null}
	 */
	<R> Mono<R> statusError(Call call, ClientResponse response, @Nullable String refusal) {
		HttpStatusCode status = response.statusCode();
		HttpHeaders headers = response.headers().asHttpHeaders();
		Charset charset = charset(response);
		return DataBufferUtils
			.join(DataBufferUtils.takeUntilByteCount(response.body(BodyExtractors.toDataBuffers()),
					NetworkException.MAX_SNIPPET_LENGTH * 4L))
			.map((buffer) -> {
				try {
					return buffer.toString(charset);
				}
				finally {
					DataBufferUtils.release(buffer);
				}
			})
			.onErrorResume((ex) -> Mono.empty())
			.defaultIfEmpty("")
			.flatMap((body) -> {
				NetworkException error = NetworkException.status(call.method().name(), call.displayUrl(),
						status.value(), FollowUpDecider.reason(status), headers, body);
				return Mono.error((refusal != null) ? error.withDetail(refusal) : error);
			});
	}

	private Mono<byte[]> readBytes(ClientResponse response) {
		Mono<byte[]> body = response.bodyToMono(byte[].class);
		if (!this.logger.isTraceEnabled()) {
			return body;
		}
		return body.doOnNext((bytes) -> this.logger.trace("response body ({} bytes) starts with: {}", bytes.length,
				new String(bytes, 0, Math.min(bytes.length, TRACE_BODY_PREVIEW), charset(response))));
	}

	private Mono<String> readText(ClientResponse response) {
		Mono<String> body = response.bodyToMono(String.class);
		if (!this.logger.isTraceEnabled()) {
			return body;
		}
		return body.doOnNext((text) -> this.logger.trace("response body ({} chars) starts with: {}", text.length(),
				text.substring(0, Math.min(text.length(), TRACE_BODY_PREVIEW))));
	}

	private <T> T parseJson(Call call, DataBuffer buffer, JavaType type) {
		int start = buffer.readPosition();
		int length = buffer.readableByteCount();
		if (this.logger.isTraceEnabled()) {
			this.logger.trace("response body ({} bytes) starts with: {}", length,
					buffer.toString(start, Math.min(length, TRACE_BODY_PREVIEW), StandardCharsets.UTF_8));
		}
		try (InputStream in = buffer.asInputStream()) {
			return this.jsonMapper.readValue(in, type);
		}
		catch (JacksonException | IOException ex) {
			String body = buffer.toString(start, Math.min(length, 200), StandardCharsets.UTF_8);
			throw NetworkException.of(NetworkException.Kind.DECODING,
					"Response of " + call.method() + " " + call.displayUrl() + " is not valid JSON for "
							+ type.toCanonical() + " (" + ((ex instanceof JacksonException jackson)
									? jackson.getOriginalMessage() : ex.getMessage())
							+ "); body starts with: " + body + ((length > 200) ? "..." : ""),
					call.method().name(), call.displayUrl(), ex);
		}
	}

	private static Charset charset(ClientResponse response) {
		return response.headers()
			.contentType()
			.map(MediaType::getCharset)
			.filter(Objects::nonNull)
			.orElse(StandardCharsets.UTF_8);
	}

}
