package io.pepperpy.sample;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The sample is an application written as a user writes one: it reaches everything it shows through the public
 * API, never through {@code io.pepperpy.network.internal}, whose types may change in any release.
 */
class PublicApiOnlyTests {

	static final ArchRule NO_INTERNALS = noClasses().that()
		.resideInAPackage("io.pepperpy.sample..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("io.pepperpy.network.internal..")
		.because("an application needs only the public API the README lists");

	@Test
	void theSampleUsesNoInternalType() {
		JavaClasses sample = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.pepperpy.sample");
		NO_INTERNALS.check(sample);
	}

}
