package io.pepperpy.network.architecture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.pepperpy.network.tcp.TcpClientThatUsesHttp;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pins the package structure the code relies on, on the compiled main classes: the HTTP and TCP clients never
 * import each other (what they share lives in {@code io.pepperpy.network.internal}, which names neither), and
 * every other public type is one the README lists as the public API, so a type cannot become API by accident.
 * That an application needs no internal type is held by the sample's {@code PublicApiOnlyTests}.
 */
class InternalArchitectureTests {

	private static final String ROOT = "io.pepperpy.network";

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
		.importPackages(ROOT);

	static final ArchRule TCP_DOES_NOT_USE_HTTP = noClasses().that()
		.resideInAPackage(ROOT + ".tcp..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage(ROOT + ".http..")
		.because("what HTTP and TCP share lives in " + ROOT + ".internal");

	static final ArchRule HTTP_DOES_NOT_USE_TCP = noClasses().that()
		.resideInAPackage(ROOT + ".http..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage(ROOT + ".tcp..")
		.because("what HTTP and TCP share lives in " + ROOT + ".internal");

	static final ArchRule SHARED_CODE_KNOWS_NEITHER_PROTOCOL = noClasses().that()
		.resideInAPackage(ROOT + ".internal..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(ROOT + ".http..", ROOT + ".tcp..")
		.because("the shared core serves both clients, so it can name neither");

	@Test
	void httpAndTcpNeverImportEachOther() {
		assertThat(MAIN.containPackage(ROOT + ".tcp")).isTrue();
		assertThat(MAIN.containPackage(ROOT + ".http")).isTrue();
		TCP_DOES_NOT_USE_HTTP.check(MAIN);
		HTTP_DOES_NOT_USE_TCP.check(MAIN);
	}

	@Test
	void theRuleFailsWhenATcpClassImportsHttp() {
		JavaClasses withViolation = new ClassFileImporter().importClasses(TcpClientThatUsesHttp.class);
		assertThatThrownBy(() -> TCP_DOES_NOT_USE_HTTP.check(withViolation)).isInstanceOf(AssertionError.class)
			.hasMessageContaining(TcpClientThatUsesHttp.class.getName())
			.hasMessageContaining("io.pepperpy.network.http.HttpClient");
	}

	@Test
	void theSharedCoreNamesNeitherProtocol() {
		SHARED_CODE_KNOWS_NEITHER_PROTOCOL.check(MAIN);
	}

	@Test
	void everyPublicTypeOutsideInternalIsListedAsPublicApiInTheReadme() throws IOException {
		Set<String> publicTypes = MAIN.stream()
			.filter((type) -> type.getModifiers().contains(JavaModifier.PUBLIC))
			.filter(JavaClass::isTopLevelClass)
			.filter((type) -> !type.getPackageName().startsWith(ROOT + ".internal"))
			.filter((type) -> !type.getSimpleName().equals("package-info"))
			.map(JavaClass::getSimpleName)
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(publicTypes).as("public types outside %s.internal", ROOT)
			.containsExactlyInAnyOrderElementsOf(readmeApi());
	}

	/**
	 * The type names between the README's {@code public-api} markers.
	 */
	private static Set<String> readmeApi() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
		int start = readme.indexOf("<!-- public-api:start -->");
		int end = readme.indexOf("<!-- public-api:end -->");
		assertThat(start).as("README public-api markers").isNotNegative().isLessThan(end);
		Set<String> names = new TreeSet<>();
		Matcher matcher = Pattern.compile("`([A-Z]\\w*)`").matcher(readme.substring(start, end));
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

}
