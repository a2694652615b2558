package dev.plumb.resources;

import static dev.plumb.Fixtures.instantiate;
import static dev.plumb.Fixtures.notices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.plumb.Fixtures;
import dev.plumb.Processes;
import dev.plumb.RecordingRunner;
import dev.plumb.api.Action;
import dev.plumb.api.Change;
import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecResourceTest {

    private static List<String> shell(String commandLine) {
        return List.of("/bin/sh", "-c", commandLine);
    }

    @TempDir
    Path dir;

    private RecordingRunner runner;
    private Context context;
    private ExecutorService readers;

    @BeforeEach
    void setUp() {
        runner = new RecordingRunner();
        context = Fixtures.context(runner, dir.resolve("backups"));
        readers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fifo-reader");
            thread.setDaemon(true);
            return thread;
        });
    }

    @AfterEach
    void tearDown() {
        readers.shutdownNow();
    }

    private static ExecResource exec(String name, Map<String, Object> attributes) {
        return instantiate("exec", name, attributes);
    }

    @Test
    void runsTheCommandThroughTheShellWithItsExactArgv() throws Exception {
        Change change = exec("rebuild cache", Map.of("command", "update-ca-certificates --fresh")).converge(context, true);

        assertThat(runner.argvs()).containsExactly(List.of("/bin/sh", "-c", "update-ca-certificates --fresh"));
        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.details()).containsExactly("run 'update-ca-certificates --fresh'");
    }

    @Test
    void theNameIsTheCommandWhenNoCommandIsGiven() throws Exception {
        exec("systemctl daemon-reload", Map.of()).converge(context, true);

        assertThat(runner.argvs()).containsExactly(shell("systemctl daemon-reload"));
    }

    @Test
    void theWorkingDirectoryEnvironmentAndTimeoutArePassedOn() throws Exception {
        exec("build", Map.of("command", "make", "cwd", "/srv/app", "env", Map.of("LANG", "C"), "timeout", 42))
                .converge(context, true);

        Command command = runner.commands().get(0);
        assertThat(command.cwd()).isEqualTo(Path.of("/srv/app"));
        assertThat(command.env()).isEqualTo(Map.of("LANG", "C"));
        assertThat(command.timeout()).isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void theDefaultTimeoutIsFiveMinutes() throws Exception {
        exec("true", Map.of()).converge(context, true);

        assertThat(runner.commands().get(0).timeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aPlanRunsTheGuardsButNeverTheCommand() throws Exception {
        runner.exit("test -f /etc/ready", 1);
        ExecResource resource = exec("setup", Map.of("command", "do-setup", "unless", "test -f /etc/ready",
                "onlyif", "test -d /etc"));

        Change change = resource.converge(context, false);

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.details()).containsExactly("run 'do-setup'");
        assertThat(runner.argvs()).containsExactly(shell("test -f /etc/ready"), shell("test -d /etc"));
    }

    @Test
    void anApplyRunsTheGuardsThenTheCommand() throws Exception {
        runner.exit("test -f /etc/ready", 1);
        ExecResource resource = exec("setup", Map.of("command", "do-setup", "unless", "test -f /etc/ready",
                "onlyif", "test -d /etc"));

        resource.converge(context, true);

        assertThat(runner.argvs()).containsExactly(shell("test -f /etc/ready"), shell("test -d /etc"), shell("do-setup"));
    }

    @Test
    void aSucceedingUnlessMeansNothingToDo() throws Exception {
        ExecResource resource = exec("setup", Map.of("command", "do-setup", "unless", "test -f /etc/ready"));

        Change change = resource.converge(context, true);

        assertThat(change.isNeeded()).isFalse();
        assertThat(runner.argvs()).containsExactly(shell("test -f /etc/ready"));
    }

    @Test
    void aFailingOnlyifMeansNothingToDo() throws Exception {
        runner.exit("test -d /etc/app", 1);
        ExecResource resource = exec("setup", Map.of("command", "do-setup", "onlyif", "test -d /etc/app"));

        Change change = resource.converge(context, true);

        assertThat(change.isNeeded()).isFalse();
        assertThat(runner.argvs()).containsExactly(shell("test -d /etc/app"));
    }

    @Test
    void anExistingCreatesPathMeansNothingToDoAndNothingRuns() throws Exception {
        Path marker = Files.writeString(dir.resolve("installed"), "");
        ExecResource resource = exec("install", Map.of("command", "install-it", "creates", marker.toString(),
                "unless", "false"));

        Change change = resource.converge(context, true);

        assertThat(change.isNeeded()).isFalse();
        assertThat(runner.commands()).isEmpty();
    }

    @Test
    void aMissingCreatesPathMeansTheCommandRuns() throws Exception {
        ExecResource resource = exec("install", Map.of("command", "install-it",
                "creates", dir.resolve("installed").toString()));

        resource.converge(context, true);

        assertThat(runner.argvs()).containsExactly(shell("install-it"));
    }

    @Test
    void aRefreshonlyExecDoesNothingOnConverge() throws Exception {
        ExecResource resource = exec("reload", Map.of("command", "systemctl reload nginx", "refreshonly", true));

        Change change = resource.converge(context, true);

        assertThat(change.isNeeded()).isFalse();
        assertThat(runner.commands()).isEmpty();
    }

    @Test
    void aRefreshonlyExecRunsWhenRefreshed() throws Exception {
        ExecResource resource = exec("reload", Map.of("command", "systemctl reload nginx", "refreshonly", true));

        Change change = resource.refresh(context, true, notices("file[/etc/nginx/nginx.conf]", "file[/etc/nginx/site]"));

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.details()).containsExactly(
                "run 'systemctl reload nginx' (notified by file[/etc/nginx/nginx.conf], file[/etc/nginx/site])");
        assertThat(runner.argvs()).containsExactly(shell("systemctl reload nginx"));
    }

    @Test
    void aPlannedRefreshDoesNotRun() throws Exception {
        ExecResource resource = exec("reload", Map.of("command", "systemctl reload nginx", "refreshonly", true));

        Change change = resource.refresh(context, false, notices("file[/etc/nginx/nginx.conf]"));

        assertThat(change.isNeeded()).isTrue();
        assertThat(runner.commands()).isEmpty();
    }

    @Test
    void aRefreshStillHonoursTheGuards() throws Exception {
        ExecResource resource = exec("reload", Map.of("command", "systemctl reload nginx", "refreshonly", true,
                "unless", "true"));

        Change change = resource.refresh(context, true, notices("file[/x]"));

        assertThat(change.isNeeded()).isFalse();
        assertThat(runner.argvs()).containsExactly(shell("true"));
    }

    @Test
    void aFailingCommandGivesItsExitCodeAndErrorOutput() {
        Context real = Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups"));
        ExecResource resource = exec("fail", Map.of("command", "echo boom >&2; exit 3"));

        assertThatThrownBy(() -> resource.converge(real, true))
                .isInstanceOf(ResourceException.class)
                .hasMessageContaining("exited with 3")
                .hasMessageContaining("boom")
                .hasMessage("'echo boom >&2; exit 3' exited with 3:\nboom");
    }

    @Test
    void aFailingCommandWithoutErrorOutputShowsItsOutput() {
        Context real = Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups"));

        assertThatThrownBy(() -> exec("fail", Map.of("command", "echo partial; exit 1")).converge(real, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage("'echo partial; exit 1' exited with 1:\npartial");
    }

    @Test
    void theRealRunnerRunsInTheWorkingDirectoryWithTheEnvironment() throws Exception {
        Context real = Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups"));
        Path work = Files.createDirectory(dir.resolve("work"));

        exec("write", Map.of("command", "printf '%s' \"$GREETING\" > out", "cwd", work.toString(),
                "env", Map.of("GREETING", "hello"))).converge(real, true);

        assertThat(Files.readString(work.resolve("out"))).isEqualTo("hello");
    }

    @Test
    void aTimeoutKillsTheCommand() throws Exception {
        Path pidFile = dir.resolve("pid");
        Context real = Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups"));
        ExecResource resource = exec("hang", Map.of("command", "echo $$ > " + pidFile + "; exec sleep 60", "timeout", 1));
        long start = System.nanoTime();

        assertThatThrownBy(() -> resource.converge(real, true))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("timed out after 1 s");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        // The killed command is this JVM's child, so it is reaped and its exit observed at once.
        ProcessHandle.of(pid).ifPresent(process -> assertThat(process.onExit()).succeedsWithin(Duration.ofSeconds(10)));
    }

    @Test
    void aTimeoutKillsADoubleForkedChildToo() throws Exception {
        Path sleep = Processes.markedSleep(dir);
        Context real = Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups"));
        // The subshell exits at once: its sleep is no longer a descendant of the command, only in its session.
        ExecResource resource = exec("daemonize", Map.of("command", "(" + sleep + " 60 &) ; " + sleep + " 61", "timeout", 1));
        try {
            assertThatThrownBy(() -> resource.converge(real, true)).hasMessageEndingWith("timed out after 1 s");

            assertThat(Processes.survivors(sleep.toString(), Duration.ofSeconds(10))).isEmpty();
        } finally {
            Processes.kill(sleep.toString());
        }
    }

    @Test
    void aBackgroundChildHoldingTheOutputOpenIsKilledAtTheTimeout() throws Exception {
        Path sleep = Processes.markedSleep(dir);
        Context real = Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups"));
        ExecResource resource = exec("leave", Map.of("command", "(" + sleep + " 60 &) ; echo started", "timeout", 1));
        long start = System.nanoTime();
        try {
            assertThatThrownBy(() -> resource.converge(real, true)).isInstanceOf(IOException.class).hasMessageEndingWith(
                    "timed out after 1 s: what it started in the background kept its output open");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(Processes.survivors(sleep.toString(), Duration.ofSeconds(10))).isEmpty();
        } finally {
            Processes.kill(sleep.toString());
        }
    }

    @Test
    void aCommandPrintingMoreThanCanBeKeptKeepsItsTail() throws Exception {
        // 200 MB of output: kept whole, the output of a few such commands would exhaust the heap.
        CommandResult result = new ProcessCommandRunner().run(Command.shell(
                "yes 0123456789 | head -c 200000000; echo; echo 'last line'; echo oops >&2; exit 3", null, null,
                Duration.ofMinutes(2)));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).startsWith("[" + (200_000_011 - 1024 * 1024) + " earlier bytes not kept]\n")
                .endsWith("\nlast line\n").hasSizeLessThan(1024 * 1024 + 100);
        assertThat(result.stderr()).isEqualTo("oops\n");
    }

    @Test
    void anEnvironmentNameThatNoShellCanReadIsAProblemNamingIt() {
        ExecResource resource = exec("run", Map.of("env", Map.of("A=B", "x", "GOOD", "y", "1X", "z")));

        assertThat(resource.validate()).extracting(Diagnostic::attribute, Diagnostic::summary).containsExactly(
                tuple("env", "'1X' is not a variable name: use letters, digits and '_', not starting with a digit "
                        + "(put '=' and other characters in the value)"),
                tuple("env", "'A=B' is not a variable name: use letters, digits and '_', not starting with a digit "
                        + "(put '=' and other characters in the value)"));
    }

    @Test
    void aTimeoutAlsoKillsWhatTheCommandStarted() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        // The background sleep holds the fifo open for writing: its reader sees end-of-file once the sleep is dead.
        CompletableFuture<Integer> endOfFile = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, readers);
        Context real = Fixtures.context(new ProcessCommandRunner(), dir.resolve("backups"));
        ExecResource resource = exec("spawn", Map.of("command", "sleep 60 > " + fifo + " & wait", "timeout", 1));

        assertThatThrownBy(() -> resource.converge(real, true))
                .isInstanceOf(IOException.class)
                .hasMessage("'sleep 60 > " + fifo + " & wait': timed out after 1 s");

        assertThat(endOfFile).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(-1);
    }
}
