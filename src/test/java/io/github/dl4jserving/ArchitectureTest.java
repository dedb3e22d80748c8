package io.github.dl4jserving;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Dependencies point one way: web -> training/inference -> registry, datasets -> platform. */
@AnalyzeClasses(packages = "io.github.dl4jserving", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    static final String ROOT = "io.github.dl4jserving.";

    @ArchTest
    static final ArchRule registryAndDatasetsKnowNothingAbove = noClasses()
            .that().resideInAnyPackage(ROOT + "registry..", ROOT + "datasets..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + "inference..", ROOT + "training..", ROOT + "web..");

    @ArchTest
    static final ArchRule modulesDoNotReachIntoTheWebLayer = noClasses()
            .that().resideInAnyPackage(ROOT + "inference..", ROOT + "training..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + "web..");

    @ArchTest
    static final ArchRule inferenceAndTrainingAreIndependent = noClasses()
            .that().resideInAnyPackage(ROOT + "inference..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + "training..");

    @ArchTest
    static final ArchRule platformDependsOnNoModule = noClasses()
            .that().resideInAnyPackage(ROOT + "platform..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + "registry..", ROOT + "datasets..",
                    ROOT + "inference..", ROOT + "training..", ROOT + "web..");

    @ArchTest
    static final ArchRule noNd4jTypesInTheWebLayer = noClasses()
            .that().resideInAnyPackage(ROOT + "web..")
            .should().dependOnClassesThat().resideInAnyPackage("org.nd4j..", "org.deeplearning4j..");
}
