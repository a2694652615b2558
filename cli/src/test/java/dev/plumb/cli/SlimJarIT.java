package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
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
        List<Path> libraries;
        try (Stream<Path> listed = Files.list(SERVER_LIB)) {
            libraries = listed.filter(path -> path.toString().endsWith(".jar")).toList();
        }
        assertThat(SERVER_LIB.resolve("complete.classpath")).as("what bin/plumb takes for a finished copy").isRegularFile();
        Set<String> inPlumbJar = classes(JAR);
        for (Path library : libraries) {
            assertThat(classes(library)).as("classes of %s also in plumb.jar", library.getFileName())
                    .doesNotContainAnyElementsOf(inPlumbJar);
        }
        List<Path> withLibraries = new ArrayList<>(List.of(JAR));
        withLibraries.addAll(libraries);
        try (URLClassLoader jarAndLibraries = new URLClassLoader(urls(withLibraries),
                ClassLoader.getPlatformClassLoader())) {
            assertThat(ServerLibraries.present(jarAndLibraries)).isTrue();
        }
    }

    /** The class files of a jar, by name (module descriptors aside: every jar may have one). */
    private static Set<String> classes(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class") && !name.endsWith("module-info.class"))
                    .collect(Collectors.toSet());
        }
    }

    /** StartupTraining validates, plans, applies, checks and prints a catalog and facts, and fails on any other exit. */
    @Test
    void everyCommandButTheServerRunsFromPlumbJarAlone() throws Exception {
        assertThat(java("dev.plumb.cli.StartupTraining")).isEqualTo(new Run(0, ""));
        Run help = java("dev.plumb.cli.Main", "--help");
        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("  server ", "  status ", "  demo ");
        Run demoHelp = java("dev.plumb.cli.Main", "demo", "--help");
        assertThat(demoHelp.exit()).as(demoHelp.output()).isZero();
        assertThat(demoHelp.output()).startsWith("Usage: plumb demo ");
        Run serverHelp = java("dev.plumb.cli.Main", "server", "--help");
        assertThat(serverHelp.exit()).as(serverHelp.output()).isZero();
        assertThat(serverHelp.output()).startsWith("Usage: plumb server ");
        Run enrollHelp = java("dev.plumb.cli.Main", "server", "enroll", "--help");
        assertThat(enrollHelp.exit()).as(enrollHelp.output()).isZero();
        assertThat(enrollHelp.output()).startsWith("Usage: plumb server enroll ");
    }

    /** Enrolling reads the admin token and calls the server: as far as the call, nothing needs the server's libraries. */
    @Test
    void enrollRunsFromPlumbJarAloneAsFarAsTheServer() throws Exception {
        Path token = Files.writeString(temp.resolve("admin-token"), "not-a-real-token\n");
        Run enroll = java("dev.plumb.cli.Main", "server", "enroll", "web1", "--server", "https://127.0.0.1:1",
                "--token-file", token.toString(), "--state-dir", temp.resolve("state").toString());
        assertThat(enroll.exit()).as(enroll.output()).isEqualTo(1);
        assertThat(enroll.output()).startsWith("plumb: cannot reach the server at https://127.0.0.1:1");
    }

    @Test
    void aServerStartedFromPlumbJarAloneSaysHowToRunIt() throws Exception {
        assertThat(java("dev.plumb.cli.Main", "server", "--repo", temp.resolve("repo").toString(), "--state-dir",
                temp.resolve("state").toString())).isEqualTo(new Run(1, "plumb: " + ServerLibraries.MISSING + "\n"));
    }

    @Test
    void theDemoFromPlumbJarAloneSaysHowToRunItAndTheJarCarriesItsProject() throws Exception {
        assertThat(java("dev.plumb.cli.Main", "demo", "--state-dir", temp.resolve("state").toString()))
                .isEqualTo(new Run(1, "plumb: " + ServerLibraries.MISSING + "\n"));
        Path quickstart = Path.of("..", "examples", "quickstart");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(quickstart)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).isNotEmpty();
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            for (Path file : files) {
                ZipEntry entry = zip.getEntry("dev/plumb/cli/quickstart/" + quickstart.relativize(file));
                assertThat(entry).as("%s in plumb.jar", file).isNotNull();
                assertThat(zip.getInputStream(entry).readAllBytes()).isEqualTo(Files.readAllBytes(file));
            }
        }
    }

    /**
     * The README's first command, from plumb.jar and server-lib as bin/plumb runs it, with the quickstart the jar
     * carries; stopped while it serves, it exits as its agent's run did and leaves no directory behind.
     */
    @Test
    void theDemoRunsFromPlumbJarAndTheServersLibrariesAndStopsCleanly() throws Exception {
        Path root = temp.resolve("site");
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Dplumb.runLockForTests=" + System.getProperty("plumb.runLockForTests"), "-Djava.io.tmpdir=" + temp,
                "-cp", JAR + ":" + SERVER_LIB + "/*", "dev.plumb.cli.Main", "demo", "--serve", "--root", root.toString());
        Path output = temp.resolve("demo.txt");
        Process demo = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
            while (!Files.readString(output).contains("The server keeps running until Ctrl-C")) {
                assertThat(demo.isAlive()).as(Files.readString(output)).isTrue();
                assertThat(System.nanoTime()).as("still starting after %d s", LIMIT_SECONDS).isLessThan(deadline);
                Thread.sleep(100);
            }
            demo.destroy();
            assertThat(demo.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        } finally {
            demo.destroyForcibly();
        }
        String printed = Files.readString(output);
        assertThat(demo.exitValue()).as(printed).isEqualTo(2);
        assertThat(printed).contains(": 18 resources, 17 changed, 0 failed").containsPattern("\nlocal +changed +[0-9a-f]{12} ");
        assertThat(root.resolve("www/index.html")).isRegularFile();
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).as("the demo's temporary directory is removed").noneMatch(path -> path.getFileName()
                    .toString().startsWith("plumb-demo-"));
        }
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
