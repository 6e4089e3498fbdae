package io.pepperpy.network.benchmarks.startup;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Part (f)'s second measure of the starter's start-up cost, far less noisy than whole launches: in one JVM, start
 * {@link MinimalApp}'s context once without our auto-configurations (so Spring's own classes are loaded and
 * partly compiled), close it, then time a second start: without our auto-configurations again (arm
 * {@code without}) or with them (arm {@code with}), where our classes load, our conditions run and our beans are
 * made for the first time in this JVM. The difference between the arms is our cold cost with Spring's own start-up
 * cost taken out; a whole launch's difference also holds it, but within a noise of ±150 ms per launch here.
 * <p>
 * Both arms run with the starter's class path; the first context, and the second in arm {@code without}, exclude
 * our auto-configurations with {@code spring.autoconfigure.exclude}, which loads (but does not initialise) those
 * classes in both arms. Prints {@code SECOND_CONTEXT arm=A first_ms=F second_ms=S}.
 */
public final class SecondContextApp {

	/**
	 * Our auto-configurations, as our jar's {@code AutoConfiguration.imports} lists them.
	 */
	private static final String OURS = String.join(",",
			ImportCandidates.load(AutoConfiguration.class, SecondContextApp.class.getClassLoader())
				.getCandidates()
				.stream()
				.filter((name) -> name.startsWith("io.pepperpy.network."))
				.toList());

	private SecondContextApp() {
	}

	public static void main(String[] args) {
		boolean with = args.length > 0 && args[0].equals("with");
		long first = start(true);
		long second = start(!with);
		System.out.println("SECOND_CONTEXT arm=" + (with ? "with" : "without") + " first_ms=" + first / 1_000 / 1e3
				+ " second_ms=" + second / 1_000 / 1e3);
		// -Dbench.warmContexts=N (diagnosis): then N pairs of contexts without and with ours, their warm times
		for (int i = 0; i < Integer.getInteger("bench.warmContexts", 0); i++) {
			System.out.println("WARM without_ms=" + start(true) / 1_000 / 1e3 + " with_ms=" + start(false) / 1_000 / 1e3);
		}
	}

	private static long start(boolean excludeOurs) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(MinimalApp.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false);
		if (excludeOurs) {
			builder.properties("spring.autoconfigure.exclude=" + OURS);
		}
		else if (System.getProperty("bench.secondExclude") != null) {
			// diagnosis: leave some of ours out of the second context
			builder.properties("spring.autoconfigure.exclude=" + System.getProperty("bench.secondExclude"));
		}
		org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup steps = null;
		if (System.getProperty("bench.startupSteps") != null) {
			steps = new org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup(100_000);
			builder.applicationStartup(steps);
		}
		long start = System.nanoTime();
		ConfigurableApplicationContext context = builder.run();
		long elapsed = System.nanoTime() - start;
		if (steps != null) {
			MinimalApp.printSteps(steps, true);
		}
		if (context.containsBean("pepperpyHttpClient") == excludeOurs) {
			throw new IllegalStateException("expected our client bean " + (excludeOurs ? "absent" : "present"));
		}
		context.close();
		return elapsed;
	}

}
