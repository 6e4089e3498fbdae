package io.pepperpy.network.benchmarks;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * One arm of a comparison: a client that fetches a {@link Decode} and decodes it, asynchronously (load parts) or
 * blocking (allocation part).
 */
public interface BenchClient extends AutoCloseable {

	/**
	 * Send one request; {@code done} receives {@code null} on success or the failure. Non-blocking clients call it on
	 * their own threads.
	 * @param decode what to fetch and how to decode it
	 * @param done completion callback
	 */
	void send(Decode decode, Consumer<@Nullable Throwable> done);

	/**
	 * Send one request and wait for the decoded body.
	 * @param decode what to fetch and how to decode it
	 * @return the decoded body
	 * @throws Exception on failure
	 */
	Object call(Decode decode) throws Exception;

	@Override
	void close();

}
