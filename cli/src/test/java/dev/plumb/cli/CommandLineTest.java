package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
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
    void everyCommandTakesHelpAndVersionAndShowsItsOptionsDefaults() {
        for (String command : List.of("validate", "plan", "apply", "check", "catalog", "facts", "bootstrap", "agent",
                "schema", "server", "status", "demo")) {
            InProcess help = InProcess.plumb(List.of(command, "--help"));
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: plumb " + command + " [-hV]")
                    .contains("-h, --help", "-V, --version");
            assertThat(InProcess.plumb(List.of(command, "--version")).out()).as(command).isEqualTo("plumb 0.1.0\n");
        }
        assertThat(InProcess.plumb(List.of("server", "enroll", "--help")).out())
                .startsWith("Usage: plumb server enroll [-hV]").contains("[--token-file=FILE] HOST\n");
        assertShowsDefaults("apply", "20", "10", "3600");
        assertShowsDefaults("server", "main", "60s", "127.0.0.1:8443,", "90d", "30m");
        assertShowsDefaults("status", "https://localhost:8443");
    }

    /** {@code command --help} shows each of {@code values} as a default, wherever help wraps its line. */
    private static void assertShowsDefaults(String command, String... values) {
        String help = InProcess.plumb(List.of(command, "--help")).out();
        for (String value : values) {
            assertThat(help).as(command).containsPattern("\\(default:\\s+" + Pattern.quote(value));
        }
    }

    @Test
    void theValuesGivenReachTheirCommand() {
        assertThat(InProcess.plumb(List.of("status", "--format", "xml")).err())
                .isEqualTo("plumb: --format xml: status prints text or json\n");
        assertThat(InProcess.plumb(List.of("server")).err()).contains("--repo is required");
        assertThat(InProcess.plumb(List.of("server", "--repo", "x", "--tls-cert", "cert.pem")).err())
                .contains("--tls-cert and --tls-key go together");
        assertThat(InProcess.plumb(List.of("server", "--repo", "x", "--listen", "everywhere")).err())
                .contains("--listen everywhere: expected HOST:PORT");
        assertThat(InProcess.plumb(List.of("server", "--fetch-interval", "soon")).err())
                .contains("'soon' is not a duration");
        assertThat(InProcess.plumb(List.of("demo", "--root", "/")).err()).contains("'/' is the whole filesystem");
        assertThat(InProcess.plumb(List.of("schema", "inventory")).out()).contains("\"$schema\"");
        InProcess misspelt = InProcess.plumb(List.of("schema", "inventroy"));
        assertThat(misspelt.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(misspelt.err()).contains("'inventroy' is not a kind of project file");
        assertThat(InProcess.plumb(List.of("apply", "--var", "x")).err()).contains("--var takes KEY=VALUE");
    }

    @Test
    void aMissingRequiredParameterIsAUsageErrorBeforeAnythingRuns() {
        for (List<String> args : List.of(List.of("agent"), List.of("catalog"), List.of("server", "enroll"),
                List.of("server", "revoke"))) {
            InProcess run = InProcess.plumb(args);
            assertThat(run.exit()).as(args.toString()).isEqualTo(ExitCodes.INVALID);
            assertThat(run.err()).as(args.toString()).startsWith("plumb: Missing required parameter: '")
                    .doesNotContain("this is a bug");
        }
    }

    @Test
    void versionAndAMissingCommandAnswerAsBefore() {
        assertThat(InProcess.plumb(List.of("--version")).out()).isEqualTo("plumb 0.1.0\n");
        InProcess none = InProcess.plumb(List.of());
        assertThat(none.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(none.err()).contains("a command is required");
    }
}
