package io.pepperpy.network.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Proves the leak gate fails on a real leak, so a green build means no leak was detected.
 */
class NettyLeakDetectionExtensionTests {

	@Test
	void anUnreleasedBufferFailsTheGate() {
		leak();
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> NettyLeakDetectionExtension.assertNoLeaks("self-test"))
			.withMessageContaining("leaked buffer");
	}

	private static void leak() {
		ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
		buffer.writeInt(42);
		// dropped without release()
	}

}
