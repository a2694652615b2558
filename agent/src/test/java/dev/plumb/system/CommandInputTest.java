package dev.plumb.system;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A command's standard input, as the real runner gives it: what the command is given, or nothing at all. */
class CommandInputTest {

    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @Test
    void aCommandReadsTheInputItIsGiven() throws Exception {
        CommandResult result = runner.run(new Command(List.of("cat"), null, Map.of(), Duration.ofSeconds(30), "name:$6$hash\n"));

        assertThat(result.stdout()).isEqualTo("name:$6$hash\n");
    }

    @Test
    void aCommandWithoutInputReadsNothingAtOnce() throws Exception {
        CommandResult result = runner.run(new Command(List.of("cat"), null, Map.of(), Duration.ofSeconds(30)));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void aCommandThatNeverReadsItsInputStillEnds() throws Exception {
        String large = "x".repeat(1 << 20);

        CommandResult result = runner.run(new Command(List.of("true"), null, Map.of(), Duration.ofSeconds(30), large));

        assertThat(result.succeeded()).isTrue();
    }

    @Test
    void theInputNeverShowsWhereACommandIsPrinted() {
        Command command = new Command(List.of("chpasswd", "--encrypted"), null, Map.of(), Duration.ofSeconds(1), "a:$6$secret\n");

        assertThat(command.toString()).doesNotContain("secret").isEqualTo("Command[chpasswd, --encrypted] with standard input");
    }
}
