package dev.plumb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The agent's packages depend one way, from the composition root down to the contracts: a package never imports
 * one above it, and no two packages import each other, however indirectly. Only main code is checked; tests may
 * wire anything together.
 */
@AnalyzeClasses(packages = "dev.plumb", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule packagesFormNoCycle = slices().matching("dev.plumb.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule dependenciesRunDownOnly = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("agent").definedBy("dev.plumb.agent..")
            .layer("report").definedBy("dev.plumb.report..")
            .layer("checks").definedBy("dev.plumb.checks..")
            .layer("resources").definedBy("dev.plumb.resources..")
            .layer("engine").definedBy("dev.plumb.engine..")
            .layer("providers").definedBy("dev.plumb.providers..")
            .layer("facts").definedBy("dev.plumb.facts..")
            .layer("catalog").definedBy("dev.plumb.catalog..")
            .layer("graph").definedBy("dev.plumb.graph..")
            .layer("system").definedBy("dev.plumb.system..")
            .layer("api").definedBy("dev.plumb.api..")
            .whereLayer("agent").mayNotBeAccessedByAnyLayer()
            .whereLayer("report").mayOnlyAccessLayers("catalog", "system", "api")
            // A check shares the attribute rules of the resource it verifies (Rules, a package or service name).
            .whereLayer("checks").mayOnlyAccessLayers("resources", "providers", "catalog", "system", "api")
            .whereLayer("resources").mayOnlyAccessLayers("providers", "catalog", "system", "api")
            .whereLayer("engine").mayOnlyAccessLayers("catalog", "graph", "system", "api")
            .whereLayer("providers").mayOnlyAccessLayers("facts", "system", "api")
            .whereLayer("facts").mayOnlyAccessLayers("system", "api")
            .whereLayer("catalog").mayOnlyAccessLayers("api")
            .whereLayer("graph").mayNotAccessAnyLayer()
            .whereLayer("system").mayOnlyAccessLayers("api")
            .whereLayer("api").mayNotAccessAnyLayer()
            // A new package has to take its place here before it can be used.
            .ensureAllClassesAreContainedInArchitecture();

    @ArchTest
    static final ArchRule engineNamesNoTypeAndNoProvider = noClasses().that().resideInAPackage("dev.plumb.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.plumb.resources..", "dev.plumb.checks..",
                    "dev.plumb.providers..")
            .because("types register themselves and the composition root hands their registry to the engine");
}
