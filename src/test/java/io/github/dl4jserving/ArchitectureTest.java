package io.github.dl4jserving;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.github.dl4jserving.registry.LoadedModel;
import io.github.dl4jserving.registry.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The modules and their boundaries. Each top-level package (registry, datasets, inference, training,
 * platform, web, grpc) is a module; the public types at its root are its API, and {@code internal}
 * sub-packages are its own. Dependencies point one way: web, grpc -> training/inference -> registry,
 * datasets -> platform.
 */
@AnalyzeClasses(packages = "io.github.dl4jserving", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    static final String ROOT = "io.github.dl4jserving.";

    /** Spring Modulith's check: no cycles between modules, and no module uses another's internals. */
    @Test
    void modulesUseEachOthersApisOnlyAndFormNoCycles() {
        ApplicationModules.of(Dl4jServingApplication.class).verify();
    }

    @ArchTest
    static final ArchRule internalsAreUsedOnlyInsideTheirModule =
            noClasses().should(reachIntoAnotherModulesInternals());

    @ArchTest
    static final ArchRule theFrontEndsSeeDescriptorsAndResultsNeverNetworksOrStores = noClasses()
            .that()
            .resideInAnyPackage(ROOT + "web..", ROOT + "grpc..")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(LoadedModel.class, ModelRegistry.class)
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage("org.nd4j..", "org.deeplearning4j..");

    @ArchTest
    static final ArchRule registryAndDatasetsKnowNothingAbove = noClasses()
            .that()
            .resideInAnyPackage(ROOT + "registry..", ROOT + "datasets..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(ROOT + "inference..", ROOT + "training..", ROOT + "web..");

    @ArchTest
    static final ArchRule modulesDoNotReachIntoTheFrontEnds = noClasses()
            .that()
            .resideInAnyPackage(ROOT + "inference..", ROOT + "training..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(ROOT + "web..", ROOT + "grpc..");

    @ArchTest
    static final ArchRule inferenceAndTrainingAreIndependent = noClasses()
            .that()
            .resideInAnyPackage(ROOT + "inference..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(ROOT + "training..");

    @ArchTest
    static final ArchRule platformDependsOnNoModule = noClasses()
            .that()
            .resideInAnyPackage(ROOT + "platform..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    ROOT + "registry..",
                    ROOT + "datasets..",
                    ROOT + "inference..",
                    ROOT + "training..",
                    ROOT + "web..",
                    ROOT + "grpc..");

    /**
     * No source file of the service is over 300 lines: a class that grows past it holds more than one
     * idea, and the next person to change it pays for that.
     */
    @Test
    void noMainSourceFileIsOver300Lines() throws IOException {
        List<String> over;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            over = files.filter(f -> f.toString().endsWith(".java"))
                    .map(ArchitectureTest::lineCount)
                    .filter(c -> c.lines() > 300)
                    .map(c -> c.file() + " (" + c.lines() + " lines)")
                    .toList();
        }
        assertThat(over).as("split these along their seams").isEmpty();
    }

    private record LineCount(Path file, long lines) {}

    private static LineCount lineCount(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return new LineCount(file, lines.count());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The module of a class: the first package below the root, or "" for the root itself. */
    static String module(JavaClass c) {
        String pkg = c.getPackageName();
        if (!pkg.startsWith(ROOT)) {
            return null;
        }
        String rest = pkg.substring(ROOT.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    static boolean isInternal(JavaClass c) {
        return c.getPackageName().startsWith(ROOT)
                && (c.getPackageName().contains(".internal.")
                        || c.getPackageName().endsWith(".internal"));
    }

    static ArchCondition<JavaClass> reachIntoAnotherModulesInternals() {
        return new ArchCondition<>("reach into another module's internal package") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                for (Dependency d : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = d.getTargetClass();
                    if (isInternal(target) && !module(target).equals(module(origin))) {
                        events.add(SimpleConditionEvent.satisfied(origin, d.getDescription()));
                    }
                }
            }
        };
    }
}
