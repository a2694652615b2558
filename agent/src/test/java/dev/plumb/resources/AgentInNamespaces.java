package dev.plumb.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.Fixtures;
import dev.plumb.Root;

import dev.plumb.agent.AgentMain;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Real agents on this machine, run one after another inside a network and mount namespace of their own
 * ({@code unshare --net --mount}) that ends with them: what they change of the kernel's network settings and of the
 * mounts stays there. A {@code setup} script prepares the namespace (a tmpfs over the directory the agents write), and
 * a {@code finish} script records what the test inspects into the work directory, before the namespace is gone.
 */
final class AgentInNamespaces {

    private static final long LIMIT_SECONDS = 120;

    private final Path work;
    private final List<String> steps = new ArrayList<>();
    private int runs;

    AgentInNamespaces(Path work) {
        this.work = work;
    }

    /** Adds a run of the agent on {@code catalog} in {@code mode}, whose report {@link #run} returns. */
    AgentInNamespaces then(Mode mode, Catalog catalog) throws IOException {
        int run = ++runs;
        Path catalogFile = Files.write(work.resolve("catalog-" + run + ".json"), Json.MAPPER.writeValueAsBytes(catalog));
        steps.add(String.join(" ", List.of(quoted(ProcessHandle.current().info().command().orElseThrow()),
                "-Dplumb.runLockForTests=" + quoted(System.getProperty("plumb.runLockForTests")),
                "-cp", quoted(System.getProperty("java.class.path")), AgentMain.class.getName(),
                mode.name().toLowerCase(Locale.ROOT), quoted(catalogFile.toString()), "--format", "json", "--no-checks",
                "--state-dir", quoted(work.resolve("state").toString()),
                ">", quoted(work.resolve("report-" + run + ".json").toString()))) + " || true");
        return this;
    }

    /**
     * Runs {@code setup}, the agents and {@code finish} in fresh namespaces; returns the agents' reports in order. Skips
     * the test where it does not run as root, unless CI requires it to run.
     */
    List<RunReport> run(String setup, String finish) throws Exception {
        boolean root = Boolean.TRUE.equals(Fixtures.FACTS.get("root"));
        if (!root && Root.required()) {
            throw new AssertionError("namespaces need root, and PLUMB_TESTS_REQUIRE_ROOT=1 forbids skipping the test");
        }
        assumeTrue(root, "namespaces need root");
        String script = "set -e\n" + setup + "\n" + String.join("\n", steps) + "\n" + finish + "\n";
        Process process = new ProcessBuilder("unshare", "--net", "--mount", "--propagation", "private", "--",
                "sh", "-c", script).redirectErrorStream(true).redirectOutput(work.resolve("namespace.log").toFile()).start();
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the agents in a namespace did not finish within " + LIMIT_SECONDS + " s");
        }
        String log = Files.readString(work.resolve("namespace.log"));
        assertThat(process.exitValue()).as("the namespace script failed:\n%s", log).isZero();
        List<RunReport> reports = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Path report = work.resolve("report-" + run + ".json");
            assertThat(Files.size(report)).as("agent run %d left no report:\n%s", run, log).isPositive();
            reports.add(Json.MAPPER.readValue(report.toFile(), RunReport[].class)[0]);
        }
        return reports;
    }

    static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
