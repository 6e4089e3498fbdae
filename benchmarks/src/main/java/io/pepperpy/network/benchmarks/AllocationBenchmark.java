package io.pepperpy.network.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Part (a): bytes allocated per request, one request per operation, one caller thread, against nginx. Run with
 * {@code -prof gc}; the figure is {@code gc.alloc.rate.norm}, which counts every thread's allocation (event
 * loops included) divided by operations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class AllocationBenchmark {

	@Param({ "RAW_REACTOR_NETTY", "WEBCLIENT", "OURS", "OURS_NO_METERS", "OURS_BREAKER", "OKHTTP", "RESTCLIENT_JDK",
			"APACHE_ASYNC" })
	public Arm arm;

	@Param({ "TEXT", "JSON", "BYTES" })
	public Decode decode;

	private BenchClient client;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.client = this.arm.create(System.getProperty("bench.url", "http://127.0.0.1:18080"));
		this.client.call(this.decode);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.client.close();
	}

	@Benchmark
	public Object request() throws Exception {
		return this.client.call(this.decode);
	}

}
