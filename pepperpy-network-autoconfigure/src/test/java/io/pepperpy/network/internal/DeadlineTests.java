package io.pepperpy.network.internal;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.pepperpy.network.NetworkException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Deadline}: its arithmetic on a clock the test gives, and its words, which both clients' messages use.
 */
class DeadlineTests {

	private static final long START = 1_000_000_000L;

	@Test
	void aCallWithoutDeadlineHasNone() {
		assertThat(Deadline.at(START, null)).isEqualTo(Deadline.NONE);
		assertThat(Deadline.remaining(Deadline.NONE, Duration.ofSeconds(3), START)).hasSeconds(3);
		assertThat(Deadline.refuseNextAttempt(Deadline.NONE, null, Long.MAX_VALUE / 2_000_000, START)).isNull();
	}

	@Test
	void theDeadlinePassesItsDurationAfterTheStart() {
		assertThat(Deadline.at(START, Duration.ofMillis(250))).isEqualTo(START + 250_000_000L);
	}

	@Test
	void remainingIsTheShorterOfWhatIsLeftAndTheLimit() {
		long deadline = Deadline.at(START, Duration.ofMillis(500));
		assertThat(Deadline.remaining(deadline, Duration.ofSeconds(1), START + 100_000_000L))
			.isEqualTo(Duration.ofMillis(400));
		assertThat(Deadline.remaining(deadline, Duration.ofMillis(50), START + 100_000_000L))
			.isEqualTo(Duration.ofMillis(50));
		assertThat(Deadline.remaining(deadline, Duration.ofSeconds(1), START + 900_000_000L)).isZero();
	}

	@Test
	void theNextAttemptIsRefusedWhenItWouldStartAtOrAfterTheDeadline() {
		Duration limit = Duration.ofMillis(500);
		long deadline = Deadline.at(START, limit);
		assertThat(Deadline.refuseNextAttempt(deadline, limit, 399, START + 100_000_000L)).isNull();
		assertThat(Deadline.refuseNextAttempt(deadline, limit, 400, START + 100_000_000L))
			.isEqualTo("the next attempt, in 400 ms, would start after the deadline of 500 ms");
		assertThat(Deadline.refuseNextAttempt(deadline, limit, 0, START + 600_000_000L))
			.isEqualTo("the next attempt, in 0 ms, would start after the deadline of 500 ms");
	}

	@Test
	void aCallThatOutlivesItsDeadlineFailsWithATimeout() {
		NetworkException exceeded = Deadline.exceeded("GET", "https://api.example/users", Duration.ofMillis(750), 3);
		assertThat(exceeded.kind()).isEqualTo(NetworkException.Kind.TIMEOUT);
		assertThat(exceeded).hasMessage("GET https://api.example/users did not complete within its deadline of "
				+ "750 ms (3 attempt(s))");
		assertThat(exceeded.method()).isEqualTo("GET");
		assertThat(exceeded.url()).isEqualTo("https://api.example/users");
		assertThat(exceeded.getCause()).isInstanceOf(TimeoutException.class).hasMessage("deadline PT0.75S");
	}

}
