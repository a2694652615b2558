package dev.plumb.report;

import dev.plumb.catalog.Json;
import dev.plumb.catalog.RunReport;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes every run's report to {@code STATE/reports/}, named so that a listing sorts by time, from the report's
 * values made safe for a file name. A report is whole or
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
        String name = safe(String.valueOf(report.startedAt()).replace(':', '-')) + "-" + safe(report.host()) + "-"
                + safe(report.runId()) + ".json";
        Path file = directory.resolve(name);
        AtomicFiles.writeWhole(file, Json.MAPPER.writeValueAsBytes(report), new FileAttributes("0600", null, null));
        return file;
    }

    /**
     * {@code part} as a piece of a file name, whoever wrote the report (a host over SSH, say): letters, digits,
     * {@code . _ -} only, others as {@code _}, and at most 64 of them, so that no report is written outside
     * the directory or under a name too long for it.
     */
    private static String safe(String part) {
        String kept = String.valueOf(part).replaceAll("[^A-Za-z0-9._-]", "_");
        return kept.length() > 64 ? kept.substring(0, 64) : kept;
    }
}
