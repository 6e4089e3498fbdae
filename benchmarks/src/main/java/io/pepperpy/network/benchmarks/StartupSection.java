package io.pepperpy.network.benchmarks;

import java.util.function.Predicate;

import static io.pepperpy.network.benchmarks.Markdown.fmt;
import static io.pepperpy.network.benchmarks.Markdown.met;

/**
 * Part (f) of the report: start-up of a minimal Boot app without and with the starter, launched in pairs; our
 * auto-configuration's cold cost in one JVM ({@code SecondContextApp}) beside an A/A control; and the check that no
 * Netty thread or connection exists before the first request.
 */
final class StartupSection implements ReportSection {

	private static final String PART = "startup";

	private final Statistics stats;

	/**
	 * Create the section.
	 * @param stats the raw measurements
	 */
	StartupSection(Statistics stats) {
		this.stats = stats;
	}

	@Override
	public void write(Markdown md) {
		md.line("## Start-up of a minimal Spring Boot app (non-web), without and with the starter");
		md.line("");
		if (this.stats.params(PART).isEmpty()) {
			md.notMeasured();
			return;
		}
		double without = median("WITHOUT_STARTER", "ready_ms");
		double with = median("WITH_STARTER", "ready_ms");
		launches(md, without, with);
		boolean second = secondContext(md);
		targets(md, without, with, second);
		md.line("The socket both apps have before any request is a Unix socket, not a connection: the JDK keeps one "
				+ "end of a socket pair open from the first NIO file channel on (`sun.nio.ch.FileDispatcherImpl`'s "
				+ "pre-close descriptor), and Boot's Jackson auto-configuration opens one, with or without the "
				+ "starter, when it reads the app's classes to find `@JsonMixin` types.");
		md.line("");
	}

	/**
	 * The pairs of launches, and bare Boot's for information.
	 */
	private void launches(Markdown md, double without, double with) {
		double bare = median("BARE_BOOT", "ready_ms");
		long runs = this.stats.count((r) -> r.part().equals(PART) && r.arm().equals("WITH_STARTER")
				&& r.metric().equals("ready_ms"));
		long bareRuns = this.stats.count((r) -> r.part().equals(PART) && r.arm().equals("BARE_BOOT")
				&& r.metric().equals("ready_ms"));
		md.line(fmt("Median of %d launches each, in pairs: the baseline and the starter's app at once, each JVM pinned to "
				+ "a CPU of its own, the CPUs swapped every round (nginx idles meanwhile), so each launch has one core "
				+ "and both meet the same machine. Ready = JVM start to a refreshed context. The baseline app has every third-party library the starter brings "
				+ "(`spring-boot-starter-webclient`, `micrometer-core`) and not our jars, so the "
				+ "difference is the cost of our auto-configuration: the baseline is launched with the starter's "
				+ "class path minus our jars, in the same order (the JDK searches jars in class path order, so an "
				+ "order that puts the Netty jars first costs about 10 ms of CPU by itself), and the harness checks "
				+ "that `startup-baseline/pom.xml` resolves to the same libraries.", runs));
		md.line("");
		md.line("| | Ready ms | Launch to exit ms | Sockets before any request (inet) |");
		md.line("|---|---:|---:|---:|");
		md.line(fmt("| baseline: the same libraries, without our jars | %.0f | %.0f | %.0f (%.0f) |", without,
				median("WITHOUT_STARTER", "wall_ms"), median("WITHOUT_STARTER", "sockets"),
				median("WITHOUT_STARTER", "inet_sockets")));
		md.line(fmt("| with the starter | %.0f | %.0f | %.0f (%.0f) |", with, median("WITH_STARTER", "wall_ms"),
				median("WITH_STARTER", "sockets"), median("WITH_STARTER", "inet_sockets")));
		md.line(fmt("| added by the starter | %+.0f | %+.0f | |", with - without,
				median("WITH_STARTER", "wall_ms") - median("WITHOUT_STARTER", "wall_ms")));
		md.line(fmt("| added by the starter, median of the %d paired rounds (less sensitive to the machine's load "
				+ "drifting) | %+.0f | %+.0f | |", runs, pairedMedian("-", "ready_ms"), pairedMedian("-", "wall_ms")));
		if (bareRuns > 0) {
			md.line(fmt("| information: bare `spring-boot-starter` (%d launches) | %.0f | %.0f | %.0f (%.0f) |", bareRuns,
					bare, median("BARE_BOOT", "wall_ms"), median("BARE_BOOT", "sockets"),
					median("BARE_BOOT", "inet_sockets")));
			md.line(fmt("| information: starter vs bare `spring-boot-starter` (libraries included) | %+.0f | %+.0f | |",
					with - bare, median("WITH_STARTER", "wall_ms") - median("BARE_BOOT", "wall_ms")));
		}
		md.line("");
	}

	/**
	 * {@code SecondContextApp}'s pairs, when measured.
	 * @return whether they were
	 */
	private boolean secondContext(Markdown md) {
		double secondWithout = median("WITHOUT_STARTER", "second", "second_ms");
		double secondWith = median("WITH_STARTER", "second", "second_ms");
		if (Double.isNaN(secondWith)) {
			return false;
		}
		long pairs = this.stats.count((r) -> r.part().equals(PART) && r.arm().equals("WITH_STARTER")
				&& r.param().equals("second") && r.metric().equals("second_ms"));
		md.line(fmt("Launches of the same app differ by a lot here, so the cost of our auto-configuration alone is "
				+ "also measured in one JVM (`SecondContextApp`, %d pairs launched as above): a first context "
				+ "without our auto-configurations (`spring.autoconfigure.exclude`), so that Spring's own classes "
				+ "are loaded, then a second one timed, without them again or with them: with them, our classes "
				+ "load, our conditions run and our beans are made for the first time in that JVM. The first "
				+ "contexts do the same work in both arms: their difference is an A/A control, how far two "
				+ "launches of the same app differ.", pairs));
		md.line("");
		md.line("| | First context ms (ours excluded in both) | Second context ms |");
		md.line("|---|---:|---:|");
		md.line(fmt("| arm without ours | %.0f | %.0f |", median("WITHOUT_STARTER", "second", "first_ms"), secondWithout));
		md.line(fmt("| arm with ours | %.0f | %.0f |", median("WITH_STARTER", "second", "first_ms"), secondWith));
		md.line(fmt("| difference, median of the paired rounds | %+.0f (A/A: the same work) | %+.0f (our cold "
				+ "cost) |", pairedMedian("second", "first_ms"), pairedMedian("second", "second_ms")));
		md.line("");
		return true;
	}

	private void targets(Markdown md, double without, double with, boolean second) {
		Predicate<RawResults.Row> check = (r) -> r.part().equals(PART) && r.param().equals("check");
		double loopsBefore = this.stats.value(check, "loops_before_first_request");
		double loopsAfter = this.stats.value(check, "loops_after_first_request");
		double socketsBefore = this.stats.value(check, "sockets_before_first_request");
		double inetBefore = this.stats.value(check, "inet_sockets_before_first_request");
		double baselineSockets = median("WITHOUT_STARTER", "sockets");
		md.line("| Target | Figure | Met |");
		md.line("|---|---:|---|");
		md.line(fmt("| the starter adds ≤ 50 ms (median ready time, fair baseline) | %+.0f ms | %s |", with - without,
				met(with - without <= 50)));
		if (second) {
			double ours = pairedMedian("second", "second_ms");
			md.line(fmt("| the same, our auto-configuration's cold cost in one JVM (second context, median of pairs) | "
					+ "%+.0f ms (A/A control of launches: %+.0f ms) | %s |", ours, pairedMedian("second", "first_ms"),
					met(ours <= 50)));
		}
		md.line(fmt("| no Netty event loop or Reactor thread before the first request | %.0f threads before, %.0f after "
				+ "the first request | %s |", loopsBefore, loopsAfter, met(loopsBefore == 0)));
		md.line(fmt("| no connection before the first request: no TCP/UDP socket, and no more sockets than the baseline "
				+ "app | %.0f inet and %.0f in all before (baseline %.0f), %.0f inet after | %s |", inetBefore,
				socketsBefore, baselineSockets, this.stats.value(check, "inet_sockets_after_first_request"),
				met(inetBefore == 0 && socketsBefore <= baselineSockets)));
		md.line("");
	}

	/**
	 * Median over rounds of (with the starter - baseline), the two of a round launched at once: for the launches
	 * ({@code param} "-") or for {@code SecondContextApp}'s pairs ("second"); NaN when there are none.
	 */
	private double pairedMedian(String param, String metric) {
		return this.stats.pairedDifference(PART, "WITHOUT_STARTER", "WITH_STARTER", param, metric);
	}

	private double median(String arm, String metric) {
		return median(arm, "-", metric);
	}

	private double median(String arm, String param, String metric) {
		return this.stats.medianOf((r) -> r.part().equals(PART) && r.arm().equals(arm) && r.param().equals(param)
				&& r.metric().equals(metric));
	}

}
