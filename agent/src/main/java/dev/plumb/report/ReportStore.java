package dev.plumb.report;

import dev.plumb.catalog.Json;
import dev.plumb.catalog.RunReport;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes every run's report to {@code STATE/reports/}, named so that a listing sorts by time. A report is whole or
 * absent, never partial, but its rename is not synced: a power cut right after a run may lose that run's report, which
 * is a record of what happened, not state a later run needs, while every run saves the fsync of the directory.
 */
public final class ReportStore {

    private final Path directory;

    public ReportStore(Path stateDirectory) {
        this.directory = stateDirectory.resolve("reports");
    }

    public Path save(RunReport report) throws IOException {
        Files.createDirectories(directory);
        String name = report.startedAt().replace(':', '-') + "-" + report.host() + "-" + report.runId() + ".json";
        Path file = directory.resolve(name);
        AtomicFiles.writeWhole(file, Json.MAPPER.writeValueAsBytes(report), new FileAttributes("0600", null, null));
        return file;
    }
}
