package dev.plumb.cli;

import dev.plumb.catalog.RunReport;
import dev.plumb.compiler.ProjectFingerprint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A representative run of every command, in one JVM, for {@code bin/plumb} to record which classes plumb loads
 * ({@code -XX:ArchiveClassesAtExit}): the class-data archive it makes from this run speeds up the start of every
 * later run, whatever that run's project is, because no user's run decides what the archive holds.
 *
 * <p>Writes a small project (directories, inline, source and templated files, a check) to a temporary directory,
 * then validates, plans, applies (from empty and again as a no-op), checks (text and JSON), prints the catalog
 * and the facts, with all output discarded, and deletes the directory.
 */
final class StartupTraining {

    /** What plan and apply exit with when there is something to change (see {@link RunReport#exitCode()}). */
    private static final int CHANGES = 2;

    /** One command of the training run and the exit code it must end with. */
    private record Run(int expectedExit, String... args) {
    }

    private StartupTraining() {
    }

    /**
     * Runs the training; exits non-zero, so that {@code bin/plumb} keeps no archive, when a command ends otherwise
     * than a user's would on this project (an archive of an error path is what this class exists to avoid).
     */
    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("plumb-training");
        int exit;
        try {
            exit = train(work);
        } finally {
            deleteTree(work);
        }
        System.exit(exit);
    }

    /** Runs every command on a project written under {@code work}; returns 0, or 1 at the first unexpected exit. */
    static int train(Path work) throws IOException {
        String project = writeProject(work.resolve("project")).toString();
        String root = "root=" + work.resolve("site");
        String state = work.resolve("state").toString();
        List<Run> compiling = List.of(
                new Run(ExitCodes.OK, "--version"),
                new Run(ExitCodes.OK, "validate", "-p", project, "--var", root),
                new Run(CHANGES, "plan", "-p", project, "--var", root, "--state-dir", state),
                new Run(CHANGES, "apply", "-p", project, "--var", root, "--state-dir", state),
                new Run(ExitCodes.OK, "catalog", "-p", project, "--var", root, "local"),
                new Run(ExitCodes.OK, "facts"));
        // A project's compiled catalogs are kept only once its files have settled; the common run, a no-op whose
        // catalogs were kept, is then trained too: the first of these keeps them, the others run them.
        List<Run> fromKeptCatalogs = List.of(
                new Run(ExitCodes.OK, "apply", "-p", project, "--var", root, "--state-dir", state),
                new Run(ExitCodes.OK, "apply", "-p", project, "--var", root, "--state-dir", state),
                new Run(ExitCodes.OK, "check", "-p", project, "--var", root, "--state-dir", state),
                new Run(ExitCodes.OK, "check", "-p", project, "--var", root, "--state-dir", state, "--format", "json"));
        if (!runAll(compiling)) {
            return ExitCodes.INVALID;
        }
        try {
            ProjectFingerprint.awaitSettled(Path.of(project), Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            return ExitCodes.INVALID;
        }
        if (!runAll(fromKeptCatalogs)) {
            return ExitCodes.INVALID;
        }
        return ExitCodes.OK;
    }

    /** Runs each command; false, after saying which, at the first that exits otherwise than expected. */
    private static boolean runAll(List<Run> runs) {
        for (Run run : runs) {
            int exit = Main.commandLine(run.args())
                    .setOut(new PrintWriter(Writer.nullWriter()))
                    .setErr(new PrintWriter(Writer.nullWriter()))
                    .execute(run.args());
            if (exit != run.expectedExit()) {
                System.err.println("plumb: start-up training: `plumb " + String.join(" ", run.args()) + "` exited "
                        + exit + ", expected " + run.expectedExit());
                return false;
            }
        }
        return true;
    }

    private static Path writeProject(Path project) throws IOException {
        Files.createDirectories(project.resolve("roles"));
        Files.createDirectories(project.resolve("templates"));
        Files.createDirectories(project.resolve("files"));
        Files.writeString(project.resolve("plumb.yaml"), "name: training\nenvironments: [prod]\n");
        Files.writeString(project.resolve("inventory.yaml"), """
                groups:
                  web: { roles: [site] }
                hosts:
                  local: { connection: local, groups: [web], env: prod }
                """);
        Files.writeString(project.resolve("files/static.txt"), "static file\n");
        Files.writeString(project.resolve("templates/page.j2"), """
                <title>{{ site_name }}: page {{ item }}</title>
                <p>For {{ host.name }} ({{ facts.os.id }}, {{ facts.cpus }} CPUs) in {{ host.env }}.</p>
                {% for section in sections %}
                <p>Page {{ item }} of {{ pages | length }}, section {{ section | upper }}.</p>
                {% endfor %}
                """);
        Files.writeString(project.resolve("roles/site.yaml"), """
                vars:
                  site_name: training
                  sections: [intro, body]
                  pages: [1, 2, 3]
                resources:
                  - directory: "{{ root }}"
                  - directory: "{{ root }}/pages"
                  - file: "{{ root }}/inline.txt"
                    content: "inline file\\n"
                    mode: "0644"
                  - file: "{{ root }}/static.txt"
                    source: static.txt
                    mode: "0644"
                  - file: "{{ root }}/pages/{{ item }}.html"
                    for_each: pages
                    template: page.j2
                    mode: "0644"
                checks:
                  - file: "{{ root }}/inline.txt"
                    matches: "^inline"
                """);
        return project;
    }

    private static void deleteTree(Path top) throws IOException {
        try (Stream<Path> paths = Files.walk(top)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
