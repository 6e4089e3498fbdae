package io.pepperpy.network.http;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Runs every test class with Netty's leak detector at PARANOID and fails the class when the detector reports a
 * leaked buffer, instead of only logging it. Registered for all tests through the service loader.
 */
public class NettyLeakDetectionExtension implements BeforeAllCallback, AfterAllCallback {

	private static final ListAppender<ILoggingEvent> appender = attach();

	private static ListAppender<ILoggingEvent> attach() {
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
		ListAppender<ILoggingEvent> listAppender = new ListAppender<>();
		listAppender.start();
		((Logger) LoggerFactory.getLogger(ResourceLeakDetector.class)).addAppender(listAppender);
		return listAppender;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
		synchronized (appender) {
			appender.list.clear();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws InterruptedException {
		assertNoLeaks(context.getDisplayName());
	}

	/**
	 * Make the detector report what was collected unreleased, and fail if it reported anything.
	 * @param scope what is checked, for the message
	 * @throws InterruptedException if interrupted while waiting for the collector
	 */
	static void assertNoLeaks(String scope) throws InterruptedException {
		// Leaks are reported when a collected, unreleased buffer is noticed by a later allocation.
		for (int round = 0; round < 5; round++) {
			System.gc();
			// Gives the collector time to enqueue the buffers' references: there is no event to wait for.
			Thread.sleep(50);
			for (int i = 0; i < 200; i++) {
				ByteBuf pooled = PooledByteBufAllocator.DEFAULT.buffer(16);
				pooled.release();
				ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.directBuffer(16);
				unpooled.release();
			}
		}
		List<String> leaks;
		synchronized (appender) {
			leaks = appender.list.stream()
				.map(ILoggingEvent::getFormattedMessage)
				.filter((message) -> message.contains("LEAK"))
				.toList();
			appender.list.clear();
		}
		if (!leaks.isEmpty()) {
			throw new AssertionError("Netty reported " + leaks.size() + " leaked buffer(s) in "
					+ scope + ":\n" + String.join("\n", leaks));
		}
	}

}
