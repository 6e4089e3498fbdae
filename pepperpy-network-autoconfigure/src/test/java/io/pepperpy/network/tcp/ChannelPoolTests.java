package io.pepperpy.network.tcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The connection pool behind {@link TcpClient#send}, with real connections to a loopback echo server: event-loop
 * affinity, waiters in arrival order, their timeout and cancellation, room made by a closed connection, close.
 */
class ChannelPoolTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private TestServer server;

	private TcpConfig config;

	private final List<ChannelPool> pools = new ArrayList<>();

	@BeforeEach
	void startServer() throws Exception {
		this.server = TestServer.start(TestServer::echoLines);
		this.config = this.server.config().build();
	}

	@AfterEach
	void stop() throws Exception {
		this.pools.forEach(ChannelPool::close);
		await().atMost(WAIT).until(() -> this.server.open() == 0);
		this.server.close();
	}

	private ChannelPool pool(int size) {
		FrameCodec codec = new FrameCodec(this.config);
		TcpMetrics metrics = new TcpMetrics(null, "test");
		Mono<TcpChannel> connect = reactor.netty.tcp.TcpClient.create(ConnectionProvider.newConnection())
			.host(this.config.host())
			.port(this.config.port())
			.doOnConnected(codec::install)
			.connect()
			.map((connection) -> new TcpChannel(connection, codec, metrics, false));
		ChannelPool pool = new ChannelPool(connect, size, Duration.ofSeconds(60));
		this.pools.add(pool);
		return pool;
	}

	@Test
	void anAcquireOnAnEventLoopGetsTheIdleConnectionOfThatLoop() throws Exception {
		ChannelPool pool = pool(8);
		List<TcpChannel> channels = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			channels.add(pool.acquire(WAIT).block(WAIT));
		}
		channels.forEach(pool::release);
		assertThat(pool.idleSize()).isEqualTo(8);
		for (TcpChannel channel : channels) {
			EventLoop loop = channel.eventLoop();
			CompletableFuture<TcpChannel> acquired = new CompletableFuture<>();
			loop.execute(() -> pool.acquire(WAIT).subscribe(acquired::complete, acquired::completeExceptionally));
			TcpChannel got = acquired.get(5, TimeUnit.SECONDS);
			assertThat(got.eventLoop()).isSameAs(loop);
			pool.release(got);
		}
		assertThat(pool.idleSize()).isEqualTo(8);
		assertThat(this.server.accepted()).isEqualTo(8);
	}

	@Test
	void waitersAreServedInArrivalOrderAndGiveUpAfterTheirTimeout() throws Exception {
		ChannelPool pool = pool(1);
		TcpChannel first = pool.acquire(WAIT).block(WAIT);
		CompletableFuture<TcpChannel> second = pool.acquire(WAIT).toFuture();
		CompletableFuture<TcpChannel> third = pool.acquire(Duration.ofMillis(300)).toFuture();
		pool.release(first);
		assertThat(second.get(5, TimeUnit.SECONDS)).isSameAs(first);
		assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
			.isThrownBy(() -> third.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TcpErrors.PoolTimeoutException.class)
			.withMessageContaining("no pooled connection became free within 300 ms");
		pool.release(first);
		assertThat(pool.idleSize()).isEqualTo(1);
		assertThat(pool.acquiredSize()).isZero();
	}

	@Test
	void aCancelledWaiterTakesNoConnection() {
		ChannelPool pool = pool(1);
		TcpChannel first = pool.acquire(WAIT).block(WAIT);
		Disposable cancelled = pool.acquire(WAIT).subscribe();
		cancelled.dispose();
		pool.release(first);
		assertThat(pool.idleSize()).isEqualTo(1);
		assertThat(pool.acquiredSize()).isZero();
		assertThat(pool.acquire(WAIT).block(WAIT)).isSameAs(first);
	}

	@Test
	void anInvalidatedConnectionMakesRoomForAWaiter() throws Exception {
		ChannelPool pool = pool(1);
		TcpChannel first = pool.acquire(WAIT).block(WAIT);
		CompletableFuture<TcpChannel> waiting = pool.acquire(WAIT).toFuture();
		pool.invalidate(first);
		TcpChannel replacement = waiting.get(5, TimeUnit.SECONDS);
		assertThat(replacement).isNotSameAs(first);
		assertThat(replacement.usable()).isTrue();
		await().atMost(WAIT).until(() -> this.server.open() == 1);
		assertThat(this.server.accepted()).isEqualTo(2);
	}

	@Test
	void aFailedConnectGivesBackItsPlace() throws Exception {
		TestServer gone = TestServer.start(TestServer::echoLines);
		int port = gone.config().build().port();
		gone.close();
		FrameCodec codec = new FrameCodec(this.config);
		Mono<TcpChannel> refused = reactor.netty.tcp.TcpClient.create(ConnectionProvider.newConnection())
			.host("127.0.0.1")
			.port(port)
			.connect()
			.map((connection) -> new TcpChannel(connection, codec, new TcpMetrics(null, "test"), false));
		ChannelPool pool = new ChannelPool(refused, 1, Duration.ofSeconds(60));
		this.pools.add(pool);
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> pool.acquire(Duration.ofMillis(500)).block(WAIT))
				.satisfies((ex) -> assertThat(Exceptions.unwrap(ex)).isInstanceOf(java.net.ConnectException.class));
		}
		assertThat(pool.acquiredSize()).isZero();
	}

	@Test
	void closeClosesConnectionsInUseAndFailsWaitersAndLaterAcquires() throws Exception {
		ChannelPool pool = pool(1);
		TcpChannel first = pool.acquire(WAIT).block(WAIT);
		CompletableFuture<TcpChannel> waiting = pool.acquire(WAIT).toFuture();
		pool.close();
		assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
			.isThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(TcpErrors.ClientClosedException.class);
		assertThat(first.usable()).isFalse();
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> pool.acquire(WAIT).block(WAIT))
			.withCauseInstanceOf(TcpErrors.ClientClosedException.class);
		await().atMost(WAIT).until(() -> this.server.open() == 0);
	}

}
