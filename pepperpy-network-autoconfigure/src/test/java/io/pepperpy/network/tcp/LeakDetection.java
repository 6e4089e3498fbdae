package io.pepperpy.network.tcp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs Netty's leak detector at PARANOID level (every buffer tracked) and fails a test after which a leak is
 * reported: the detector's "LEAK:" log lines are captured, and after each test a garbage collection and fresh
 * allocations make the detector report buffers that were collected without being released.
 */
final class LeakDetection implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {

	private static final List<String> leaks = new CopyOnWriteArrayList<>();

	private static volatile boolean installed;

	@Override
	public void beforeAll(ExtensionContext context) {
		ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
		if (!installed) {
			installed = true;
			Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
			AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {

				@Override
				protected void append(ILoggingEvent event) {
					if (event.getFormattedMessage().contains("LEAK:")) {
						leaks.add(event.getFormattedMessage());
					}
				}

			};
			appender.setContext(logger.getLoggerContext());
			appender.start();
			logger.addAppender(appender);
			// Reports are asserted on (and shown in the failure message), not printed twice.
			logger.setAdditive(false);
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		leaks.clear();
	}

	@Override
	public void afterEach(ExtensionContext context) throws InterruptedException {
		assertThat(flush()).as("Netty buffer leaks reported by ResourceLeakDetector").isEmpty();
	}

	/**
	 * Make the detector report buffers collected without being released, and return the reports.
	 * @return the leak reports since the test started
	 */
	static List<String> flush() throws InterruptedException {
		for (int round = 0; round < 3; round++) {
			System.gc();
			Thread.sleep(50);
			for (ByteBufAllocator allocator : List.of(ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT,
					UnpooledByteBufAllocator.DEFAULT)) {
				for (int i = 0; i < 50; i++) {
					ByteBuf buffer = allocator.buffer(16);
					buffer.release();
				}
			}
		}
		return List.copyOf(leaks);
	}

	static void clear() {
		leaks.clear();
	}

}
