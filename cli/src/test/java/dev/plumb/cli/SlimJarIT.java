package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code plumb.jar} (after {@code package}, so a failsafe test): it leaves the server's libraries out,
 * and every command but the server itself still runs from it alone, as bin/plumb runs them; the tests' own class path
 * has every library and cannot tell.
 */
class SlimJarIT {

    private static final Path JAR = Path.of(System.getProperty("plumb.jar", "target/plumb.jar"));
    private static final Path SERVER_LIB = JAR.resolveSibling("server-lib");
    private static final long LIMIT_SECONDS = 120;

    @TempDir
    Path temp;

    @Test
    void theServersLibrariesAreBesidePlumbJarNotInIt() throws IOException {
        try (URLClassLoader jarAlone = new URLClassLoader(urls(List.of(JAR)), ClassLoader.getPlatformClassLoader());
             Stream<Path> libraries = Files.list(SERVER_LIB)) {
            List<Path> withLibraries = new ArrayList<>(List.of(JAR));
            withLibraries.addAll(libraries.toList());
            try (URLClassLoader jarAndLibraries = new URLClassLoader(urls(withLibraries),
                    ClassLoader.getPlatformClassLoader())) {
                assertThat(ServerLibraries.present(jarAlone)).isFalse();
                assertThat(ServerLibraries.present(jarAndLibraries)).isTrue();
            }
        }
    }

    /** StartupTraining validates, plans, applies, checks and prints a catalog and facts, and fails on any other exit. */
    @Test
    void everyCommandButTheServerRunsFromPlumbJarAlone() throws Exception {
        assertThat(java("dev.plumb.cli.StartupTraining")).isEqualTo(new Run(0, ""));
        Run help = java("dev.plumb.cli.Main", "--help");
        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("  server ", "  status ");
        Run serverHelp = java("dev.plumb.cli.Main", "server", "--help");
        assertThat(serverHelp.exit()).as(serverHelp.output()).isZero();
        assertThat(serverHelp.output()).startsWith("Usage: plumb server ");
        Run enrollHelp = java("dev.plumb.cli.Main", "server", "enroll", "--help");
        assertThat(enrollHelp.exit()).as(enrollHelp.output()).isZero();
        assertThat(enrollHelp.output()).startsWith("Usage: plumb server enroll ");
    }

    @Test
    void aServerStartedFromPlumbJarAloneSaysHowToRunIt() throws Exception {
        assertThat(java("dev.plumb.cli.Main", "server", "--repo", temp.resolve("repo").toString(), "--state-dir",
                temp.resolve("state").toString())).isEqualTo(new Run(1, "plumb: " + ServerLibraries.MISSING + "\n"));
    }

    private record Run(int exit, String output) {
    }

    /** {@code java -cp plumb.jar MAIN ARGS}: its exit code and its output and errors together. */
    private Run java(String main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Dplumb.runLockForTests=" + System.getProperty("plumb.runLockForTests"), "-cp", JAR.toString(), main));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(temp, "output", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still runs after " + LIMIT_SECONDS + " s");
        }
        return new Run(process.exitValue(), Files.readString(output));
    }

    private static URL[] urls(List<Path> jars) throws IOException {
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jars.get(i).toUri().toURL();
        }
        return urls;
    }
}
