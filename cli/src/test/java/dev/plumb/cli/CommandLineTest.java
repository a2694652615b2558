package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line a run builds holds only the command it runs; help, version and usage errors still see them all. */
class CommandLineTest {

    private static final List<String> COMMANDS = List.of("validate", "plan", "apply", "check", "catalog", "facts",
            "schema", "help");

    @Test
    void aRunBuildsOnlyTheCommandItRuns() {
        assertThat(Main.commandLine("apply", "-p", "x").getSubcommands()).containsOnlyKeys("apply");
        assertThat(Main.commandLine("--version").getSubcommands()).isEmpty();
    }

    @Test
    void helpListsEveryCommandAndExplainsEach() {
        InProcess help = InProcess.plumb(List.of("--help"));
        assertThat(help.exit()).isZero();
        COMMANDS.forEach(command -> assertThat(help.out()).containsPattern("(?m)^\\s+" + command + "\\s"));

        InProcess helpApply = InProcess.plumb(List.of("help", "apply"));
        assertThat(helpApply.exit()).isZero();
        assertThat(helpApply.out()).startsWith("Usage: plumb apply").contains("--lock-timeout", "--help");
    }

    @Test
    void versionAndAMissingCommandAnswerAsBefore() {
        assertThat(InProcess.plumb(List.of("--version")).out()).isEqualTo("plumb 0.1.0\n");
        InProcess none = InProcess.plumb(List.of());
        assertThat(none.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(none.err()).contains("a command is required");
    }
}
