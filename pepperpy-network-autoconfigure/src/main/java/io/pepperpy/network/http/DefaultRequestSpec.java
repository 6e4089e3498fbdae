package io.pepperpy.network.http;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.internal.SettingChecks;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JavaType;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The first stage: collects what the caller sets on one request (headers, body, per-request overrides), and when
 * the call is subscribed, checks it (method, URL template, origin, headers) and works it out into the
 * {@link Call} every later stage reads. One spec, one call: a subscription prepares the call afresh.
 */
final class DefaultRequestSpec implements HttpClient.RequestSpec {

	private final DefaultHttpClient client;

	private final HttpMethod method;

	private final String uriTemplate;

	private final Object uriVariables;

	/** The request's own headers, made on the first one (most requests have none). */
	private @Nullable HttpHeaders headers;

	private @Nullable BodyInserter<?, ? super ClientHttpRequest> body;

	private @Nullable MediaType contentType;

	private ResponseFormat responseFormat;

	private @Nullable Integer retries;

	private Duration retryDelay;

	private boolean raiseForStatus;

	/** A proxy set for this request only; {@code null} for the client's own (its proxy and non-proxy hosts). */
	private @Nullable String proxy;

	private Duration timeout;

	private @Nullable Duration deadline;

	private boolean oneShotBody;

	DefaultRequestSpec(DefaultHttpClient client, HttpMethod method, String uriTemplate, Object uriVariables) {
		this.client = client;
		this.responseFormat = client.config().decoding().format();
		this.retryDelay = client.config().retry().settings().delay();
		this.raiseForStatus = client.config().decoding().raiseForStatus();
		this.timeout = client.config().timeouts().attempt();
		this.deadline = client.config().timeouts().deadline();
		this.method = method;
		this.uriTemplate = uriTemplate;
		this.uriVariables = uriVariables;
	}

	@Override
	public HttpClient.RequestSpec header(String name, String value) {
		HttpHeaders own = this.headers;
		if (own == null) {
			own = new HttpHeaders();
			this.headers = own;
		}
		own.set(name, value);
		return this;
	}

	@Override
	public HttpClient.RequestSpec headers(Map<String, String> headers) {
		headers.forEach(this::header);
		return this;
	}

	@Override
	public HttpClient.RequestSpec json(Object body) {
		Objects.requireNonNull(body, "body must not be null");
		this.oneShotBody = false;
		this.body = BodyInserters.fromValue(body);
		this.contentType = MediaType.APPLICATION_JSON;
		return this;
	}

	@Override
	public HttpClient.RequestSpec form(Map<String, ?> fields) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		fields.forEach((name, value) -> form.add(name, String.valueOf(value)));
		this.oneShotBody = false;
		this.body = BodyInserters.fromFormData(form);
		this.contentType = MediaType.APPLICATION_FORM_URLENCODED;
		return this;
	}

	@Override
	public HttpClient.RequestSpec multipart(Consumer<HttpClient.MultipartSpec> parts) {
		MultipartBodyBuilder builder = new MultipartBodyBuilder();
		DefaultMultipartSpec spec = new DefaultMultipartSpec(builder);
		parts.accept(spec);
		this.body = BodyInserters.fromMultipartData(builder.build());
		this.contentType = null;
		this.oneShotBody = spec.oneShot;
		return this;
	}

	@Override
	public HttpClient.RequestSpec body(byte[] body, MediaType contentType) {
		this.oneShotBody = false;
		this.body = BodyInserters.fromValue(body.clone());
		this.contentType = contentType;
		return this;
	}

	@Override
	public HttpClient.RequestSpec body(String body, MediaType contentType) {
		this.oneShotBody = false;
		this.body = BodyInserters.fromValue(body);
		this.contentType = contentType;
		return this;
	}

	@Override
	public HttpClient.RequestSpec responseFormat(ResponseFormat format) {
		this.responseFormat = Objects.requireNonNull(format, "format must not be null");
		return this;
	}

	@Override
	public HttpClient.RequestSpec retries(int retries) {
		SettingChecks.check(retries >= 0, "retries", retries, "be 0 or more");
		this.retries = retries;
		return this;
	}

	@Override
	public HttpClient.RequestSpec retryDelay(Duration retryDelay) {
		SettingChecks.notNegative("retryDelay", retryDelay);
		this.retryDelay = retryDelay;
		return this;
	}

	@Override
	public HttpClient.RequestSpec raiseForStatus(boolean raiseForStatus) {
		this.raiseForStatus = raiseForStatus;
		return this;
	}

	@Override
	public HttpClient.RequestSpec proxy(String proxy) {
		ProxySettings.parse(proxy);
		this.proxy = proxy.trim();
		return this;
	}

	@Override
	public HttpClient.RequestSpec timeout(Duration timeout) {
		SettingChecks.positive("timeout", timeout);
		this.timeout = timeout;
		return this;
	}

	@Override
	public HttpClient.RequestSpec deadline(Duration deadline) {
		SettingChecks.positive("deadline", deadline);
		this.deadline = deadline;
		return this;
	}

	@Override
	public Mono<Object> retrieve() {
		ResponseFormat format = this.responseFormat;
		return execute((call, response) -> this.client.decoder().read(call, response, format));
	}

	@Override
	public <T> Mono<T> retrieve(Class<T> type) {
		return execute((call, response) -> this.client.decoder().read(call, response, type));
	}

	@Override
	public <T> Mono<T> retrieve(ParameterizedTypeReference<T> type) {
		JavaType javaType = this.client.decoder().type(type.getType());
		return execute((call, response) -> this.client.decoder().<T>readJson(call, response, javaType));
	}

	@Override
	public <T> Mono<T> stream(
			Function<Flux<DataBuffer>, ? extends Mono<T>> bodyHandler) {
		Objects.requireNonNull(bodyHandler, "bodyHandler must not be null");
		return execute((call, response) -> bodyHandler.apply(response.body(BodyExtractors.toDataBuffers())));
	}

	@Override
	public Mono<HttpResponse<Object>> exchange() {
		ResponseFormat format = this.responseFormat;
		ResponseDecoder decoder = this.client.decoder();
		return execute((call, response) -> decoder.exchange(call, response,
				(sent, body) -> decoder.read(sent, body, format), true));
	}

	@Override
	public <T> Mono<HttpResponse<T>> exchange(ParameterizedTypeReference<T> type) {
		ResponseDecoder decoder = this.client.decoder();
		JavaType javaType = decoder.type(type.getType());
		return execute((call, response) -> decoder.exchange(call, response,
				(sent, body) -> decoder.<T>readJson(sent, body, javaType), false));
	}

	@Override
	public <T> Mono<HttpResponse<T>> exchange(Class<T> type) {
		ResponseDecoder decoder = this.client.decoder();
		return execute((call, response) -> decoder.exchange(call, response,
				(sent, body) -> decoder.read(sent, body, type), type == Object.class));
	}

	private <R> Mono<R> execute(ResponseHandler<R> handler) {
		return Mono.defer(() -> {
			Call call = prepare();
			return this.client.execute(call, handler);
		}).onErrorMap((ex) -> !(ex instanceof NetworkException),
				(ex) -> ErrorTranslator.translate(ex, this.method.name(),
						this.client.redactor().template(this.uriTemplate), this.timeout));
	}

	private Call prepare() {
		String methodName = this.method.name();
		if (!isToken(methodName)) {
			throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
					"Refusing request: the method contains characters that are not allowed in an HTTP method",
					null, this.client.redactor().template(this.uriTemplate), null);
		}
		URI url;
		try {
			url = (this.uriVariables instanceof Map<?, ?> named)
					? this.client.uriBuilderFactory().expand(this.uriTemplate, namedVariables(named))
					: this.client.uriBuilderFactory().expand(this.uriTemplate, (Object[]) this.uriVariables);
		}
		catch (RuntimeException ex) {
			String template = this.client.redactor().template(this.uriTemplate);
			throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
					"Invalid URL template '" + template + "' for " + this.method + ": " + ex.getClass().getSimpleName(),
					this.method.name(), template, null);
		}
		checkOrigin(url);
		HttpHeaders merged = this.client.defaultHeaders();
		HttpHeaders own = this.headers;
		if ((own != null && !own.isEmpty()) || this.contentType != null) {
			merged = new HttpHeaders();
			merged.putAll(this.client.defaultHeaders());
			if (own != null) {
				checkHeaders(own, url);
				merged.putAll(own);
			}
			if (this.contentType != null) {
				merged.setContentType(this.contentType);
			}
		}
		int effectiveRetries = (this.retries != null) ? this.retries
				: this.client.config().retry().settings().maxRetries();
		return new Call(this.method, url, this.client.redactor(), this.uriTemplate, merged, this.body,
				this.oneShotBody, this.client.webClientFor(this.proxy), this.timeout, this.deadline, effectiveRetries,
				this.retries != null, this.retryDelay, this.raiseForStatus,
				this.client.config().retry().nonIdempotent());
	}

	/** Whether an HTTP method is a token (RFC 9110): visible ASCII without separators; no allocation. */
	private static boolean isToken(String methodName) {
		if (methodName.isEmpty()) {
			return false;
		}
		for (int i = 0; i < methodName.length(); i++) {
			char c = methodName.charAt(i);
			if (c <= 32 || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
				return false;
			}
		}
		return true;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, ?> namedVariables(Map<?, ?> variables) {
		return (Map<String, ?>) variables;
	}

	private void checkOrigin(URI url) {
		Origins.check(this.client.baseUrl(), url, this.method, this.client.redactor());
	}

	private void checkHeaders(HttpHeaders headers, URI url) {
		headers.forEach((name, values) -> values.forEach((value) -> {
			try {
				HeaderChecks.check(name, value, "request");
			}
			catch (IllegalArgumentException ex) {
				String displayUrl = this.client.redactor().url(url);
				throw NetworkException.of(NetworkException.Kind.INVALID_REQUEST,
						"Refusing " + this.method + " " + displayUrl + ": " + ex.getMessage(), this.method.name(),
						displayUrl, null);
			}
		}));
	}

	private static final class DefaultMultipartSpec implements HttpClient.MultipartSpec {

		private final MultipartBodyBuilder builder;

		private boolean oneShot;

		DefaultMultipartSpec(MultipartBodyBuilder builder) {
			this.builder = builder;
		}

		@Override
		public HttpClient.MultipartSpec field(String name, String value) {
			this.builder.part(name, value, MediaType.TEXT_PLAIN);
			return this;
		}

		@Override
		public HttpClient.MultipartSpec file(String name, Path file) {
			return file(name, new FileSystemResource(file));
		}

		@Override
		public HttpClient.MultipartSpec file(String name, byte[] content, String filename, MediaType contentType) {
			ByteArrayResource resource = new ByteArrayResource(content.clone()) {

				@Override
				public String getFilename() {
					return filename;
				}

			};
			this.builder.part(name, resource, contentType).filename(filename);
			return this;
		}

		@Override
		public HttpClient.MultipartSpec file(String name, Resource resource) {
			this.oneShot |= resource.isOpen();
			this.builder.part(name, resource);
			return this;
		}

	}

}
