package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.compiler.Project;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureReportTest {

    @Test
    void aBugThrownFromACommandIsReportedAsABugNotAsBadInput() {
        StringWriter err = new StringWriter();

        int exit = Main.reportFailure(new IllegalArgumentException("duplicate node file[/a]"), new PrintWriter(err, true));

        assertThat(exit).isEqualTo(ExitCodes.BUG).isNotEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).startsWith("plumb: unexpected java.lang.IllegalArgumentException: duplicate node file[/a]"
                + " (this is a bug in plumb");
    }

    @Test
    void anIoErrorOfTheHostStaysExitOneWithItsMessage() {
        StringWriter err = new StringWriter();

        int exit = Main.reportFailure(new IOException("/var/lib/plumb/reports: No space left on device"), new PrintWriter(err, true));

        assertThat(exit).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).isEqualTo("plumb: /var/lib/plumb/reports: No space left on device\n");
    }

    @Test
    void hostPatternsThatMatchNothingAreAUsageErrorOfItsOwnType() {
        Project project = new Project(null, "empty", List.of(), Map.of(), Map.of(), Map.of(), null);

        assertThatThrownBy(() -> HostSelection.select(project, "db*")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--hosts: 'db*' matches no host or group");
        assertThatThrownBy(() -> HostSelection.select(project, "[")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--hosts: '[' is not a valid pattern");
    }
}
