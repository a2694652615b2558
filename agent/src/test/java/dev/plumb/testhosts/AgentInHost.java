package dev.plumb.testhosts;

import dev.plumb.agent.AgentMain;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The real agent run inside a {@link SystemdHost}, as plumb runs it on a server: for resource types whose files and
 * commands must all be the host's (a unit file in its /etc/systemd/system, its fstab). The agent's classes and Jackson
 * are copied to a directory the host sees; each run hands it a catalog and reads back its JSON report.
 */
public final class AgentInHost {

    private final SystemdHost host;
    private final Path work;
    private final String classPath;
    private int runs;

    /** An agent for {@code host}, working in {@code work}, a directory under this machine's temp directory. */
    public AgentInHost(SystemdHost host, Path work) throws IOException {
        this.host = host;
        this.work = work;
        this.classPath = copyClassPath(host, Files.createDirectories(work.resolve("agent-class-path")));
    }

    /**
     * The agent's own classes and its dependencies (Jackson), where the host sees them: the test classes and their
     * libraries stay out, so the agent runs with what it ships with.
     */
    private static String copyClassPath(SystemdHost host, Path into) throws IOException {
        List<String> inside = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            boolean agentClasses = source.endsWith(Path.of("agent", "target", "classes"));
            if (!agentClasses && !source.getFileName().toString().startsWith("jackson-")) {
                continue;
            }
            Path target = into.resolve(agentClasses ? "classes" : source.getFileName().toString());
            if (agentClasses) {
                copyTree(source, target);
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
            inside.add(host.inside(target).toString());
        }
        return String.join(":", inside);
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path path : tree.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Runs the agent inside the host, {@code plumb-agent MODE CATALOG OPTIONS} on a catalog file this machine wrote
     * where the host sees it: its exit code and output.
     */
    public CommandOutput exec(String mode, Path catalogFile, String... options) throws IOException, InterruptedException {
        return host.exec(agent(mode, catalogFile, options).toArray(String[]::new));
    }

    private List<String> agent(String mode, Path catalogFile, String... options) {
        List<String> command = new ArrayList<>(List.of("java", "-cp", classPath, AgentMain.class.getName(), mode,
                host.inside(catalogFile).toString()));
        command.addAll(List.of(options));
        return command;
    }

    /** Runs {@code catalog} in {@code mode} inside the host, without its checks, and returns the agent's report. */
    public RunReport run(Catalog catalog, Mode mode) throws IOException, InterruptedException {
        int run = ++runs;
        Path catalogFile = Files.write(work.resolve("catalog-" + run + ".json"), Json.MAPPER.writeValueAsBytes(catalog));
        Path reportFile = work.resolve("report-" + run + ".json");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" > \"$0\"",
                host.inside(reportFile).toString()));
        command.addAll(agent(mode.name().toLowerCase(Locale.ROOT), catalogFile, "--format", "json", "--no-checks"));
        CommandOutput result = host.exec(command.toArray(String[]::new));
        if (!Files.exists(reportFile) || Files.size(reportFile) == 0) {
            throw new IOException("the agent in " + host.name() + " left no report (exit code " + result.exitCode() + "):\n"
                    + result.output());
        }
        return Json.MAPPER.readValue(reportFile.toFile(), RunReport[].class)[0];
    }
}
