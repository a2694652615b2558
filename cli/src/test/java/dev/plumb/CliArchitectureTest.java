package dev.plumb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The controller's packages sit above the agent's: the commands use the transports and the compiler, the transports
 * the compiler's host model and the agent's packages, the compiler the agent's packages, and nothing points back up. (The agent module's own layering is its ArchitectureTest.)
 */
@AnalyzeClasses(packages = "dev.plumb", importOptions = ImportOption.DoNotIncludeTests.class)
class CliArchitectureTest {

    @ArchTest
    static final ArchRule packagesFormNoCycle = slices().matching("dev.plumb.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule compilerNeverUsesTheCommands = noClasses().that().resideInAPackage("dev.plumb.compiler..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.plumb.cli..", "dev.plumb.transport..")
            .because("the compiler turns a project into catalogs for any caller: commands, a server, tests");

    @ArchTest
    static final ArchRule transportsNeverUseTheCommands = noClasses().that().resideInAPackage("dev.plumb.transport..")
            .should().dependOnClassesThat().resideInAPackage("dev.plumb.cli..")
            .because("a transport carries catalogs and reports for any caller: commands, a server, a watch loop");

    @ArchTest
    static final ArchRule serverNeverUsesTheCommands = noClasses().that().resideInAPackage("dev.plumb.server..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.plumb.cli..", "dev.plumb.transport..")
            .because("the server compiles catalogs for agents that pull them; the commands only start it");

    @ArchTest
    static final ArchRule agentNeverUsesTheController = noClasses().that()
            .resideOutsideOfPackages("dev.plumb.cli..", "dev.plumb.transport..", "dev.plumb.compiler..",
                    "dev.plumb.server..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.plumb.cli..", "dev.plumb.transport..",
                    "dev.plumb.compiler..", "dev.plumb.server..")
            .because("the agent ships to every host without the controller");
}
