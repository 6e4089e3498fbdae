package io.pepperpy.network.http.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.pepperpy.network.NetworkException;
import io.pepperpy.network.http.HttpClient;
import io.pepperpy.network.http.HttpConfig;
import io.pepperpy.network.http.LoopbackWireMock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link HttpClientsLifecycle} closes clients that never made a request at once, and calls back only when every
 * client, used or not, is closed.
 */
class HttpClientsLifecycleTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@RegisterExtension
	static final LoopbackWireMock server = new LoopbackWireMock();

	@Test
	void clientsThatNeverMadeARequestCloseAtOnceAndRefuseCallsAfterwards() {
		HttpClient first = HttpClient.builder().build();
		HttpClient second = HttpClient.builder().build();
		HttpClientsLifecycle lifecycle = lifecycle(first, second);
		lifecycle.start();
		List<Thread> calledBackOn = new CopyOnWriteArrayList<>();
		lifecycle.stop(() -> calledBackOn.add(Thread.currentThread()));
		assertThat(calledBackOn).containsExactly(Thread.currentThread());
		assertThat(lifecycle.isRunning()).isFalse();
		assertThatExceptionOfType(NetworkException.class)
			.isThrownBy(() -> first.get("http://127.0.0.1:9/none").retrieve().block(WAIT))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("is closed"));
	}

	@Test
	void withoutClientsItCallsBackAtOnce() {
		HttpClientsLifecycle lifecycle = lifecycle();
		List<String> called = new CopyOnWriteArrayList<>();
		lifecycle.stop(() -> called.add("done"));
		assertThat(called).containsExactly("done");
	}

	@Test
	void callsBackWhenTheCallsInFlightOfUsedClientsAreDone() throws Exception {
		server.stubFor(get("/slow").willReturn(okJson("{\"done\":true}").withFixedDelay(500)));
		HttpClient used = HttpClient.builder()
			.config(HttpConfig.builder().shutdownGracePeriod(Duration.ofSeconds(5)).build())
			.build();
		HttpClient unused = HttpClient.builder().build();
		List<Object> results = new CopyOnWriteArrayList<>();
		used.get("http://127.0.0.1:" + server.port() + "/slow").retrieve().subscribe(results::add, results::add);
		server.awaitRequest(getRequestedFor(urlEqualTo("/slow")));
		CountDownLatch closed = new CountDownLatch(1);
		lifecycle(used, unused).stop(() -> {
			assertThat(results).containsExactly(Map.of("done", true));
			closed.countDown();
		});
		assertThat(closed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
	}

	private static HttpClientsLifecycle lifecycle(HttpClient... clients) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		for (int i = 0; i < clients.length; i++) {
			beanFactory.registerSingleton("client" + i, clients[i]);
		}
		return new HttpClientsLifecycle(beanFactory.getBeanProvider(HttpClient.class));
	}

}
