package io.pepperpy.network;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RetrySettings}.
 */
class RetrySettingsTests {

	private final RetrySettings settings = new RetrySettings(3, Duration.ofMillis(100), 2.0, Duration.ofMillis(300),
			Duration.ZERO);

	@Test
	void invalidValuesNameTheirPropertyAndValue() {
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> this.settings.withMaxRetries(-1))
			.withMessage("retries must be 0 or more but was -1")
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("retries"))
			.satisfies((ex) -> assertThat(ex.getValue()).isEqualTo(-1));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new RetrySettings(1, Duration.ofMillis(-1), 1, Duration.ZERO, Duration.ZERO))
			.withMessage("retry-delay must not be negative but was PT-0.001S");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new RetrySettings(1, Duration.ZERO, 0.5, Duration.ZERO, Duration.ZERO))
			.withMessage("retry-backoff-multiplier must be 1 or more but was 0.5");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new RetrySettings(1, Duration.ZERO, Double.POSITIVE_INFINITY, Duration.ZERO,
					Duration.ZERO))
			.withMessage("retry-backoff-multiplier must be 1 or more but was Infinity");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new RetrySettings(1, Duration.ZERO, 1, null, Duration.ZERO))
			.withMessage("retry-max-delay must not be null");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> new RetrySettings(1, Duration.ZERO, 1, Duration.ZERO, Duration.ofSeconds(-1)))
			.withMessage("retry-jitter must not be negative but was PT-1S");
	}

	@Test
	void retryPolicyBacksOffUpToTheMaxDelayAndStopsAfterTheRetries() {
		BackOffExecution backOff = this.settings.toRetryPolicy().getBackOff().start();
		assertThat(backOff.nextBackOff()).isEqualTo(100);
		assertThat(backOff.nextBackOff()).isEqualTo(200);
		assertThat(backOff.nextBackOff()).isEqualTo(300);
		assertThat(backOff.nextBackOff()).isEqualTo(BackOffExecution.STOP);
	}

	@Test
	void maxDelayIsNeverBelowTheDelay() {
		RetrySettings belowDelay = new RetrySettings(2, Duration.ofMillis(100), 2.0, Duration.ofMillis(10),
				Duration.ZERO);
		BackOffExecution backOff = belowDelay.toRetryPolicy().getBackOff().start();
		assertThat(backOff.nextBackOff()).isEqualTo(100);
		assertThat(backOff.nextBackOff()).isEqualTo(100);
	}

	@Test
	void withMaxRetriesKeepsTheDelays() {
		assertThat(this.settings.withMaxRetries(0)).isEqualTo(
				new RetrySettings(0, Duration.ofMillis(100), 2.0, Duration.ofMillis(300), Duration.ZERO));
		assertThat(this.settings.withMaxRetries(0).toRetryPolicy().getBackOff().start().nextBackOff())
			.isEqualTo(BackOffExecution.STOP);
	}

}
