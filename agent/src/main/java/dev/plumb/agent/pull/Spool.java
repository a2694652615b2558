package dev.plumb.agent.pull;

import dev.plumb.system.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The reports the server has not accepted yet, one file each ({@code spool/RUNID.json}, 0600), written whole before
 * the agent posts them and removed only once the server said 200. The server stores a run once however often it is
 * posted, so a report sent twice (the agent stopped between the server's 200 and the removal) still counts once.
 * Reports the server refuses for good move to {@code spool/rejected/}. Each directory keeps at most {@link #LIMIT}
 * reports, dropping the oldest, so a server gone for months cannot fill the disk.
 */
final class Spool {

    static final int LIMIT = 1000;

    private final Path directory;
    private final int limit;
    private final AgentLog log;

    Spool(Path directory, int limit, AgentLog log) {
        this.directory = directory;
        this.limit = limit;
        this.log = log;
    }

    /** Keeps the report of run {@code runId}, making room first when the spool is full. */
    Path add(String runId, byte[] report) throws IOException {
        PrivateFiles.directory(directory);
        dropOldest(directory, limit - 1);
        Path file = directory.resolve(runId + ".json");
        PrivateFiles.write(file, report);
        return file;
    }

    /** The reports waiting, oldest first. */
    List<Path> waiting() throws IOException {
        return reports(directory);
    }

    /** The server accepted {@code report}. */
    void remove(Path report) throws IOException {
        Files.deleteIfExists(report);
    }

    /** The server refused {@code report} for good: it moves out of the way of the others, kept for a person to read. */
    Path reject(Path report) throws IOException {
        Path rejected = directory.resolve("rejected");
        PrivateFiles.directory(rejected);
        dropOldest(rejected, limit - 1);
        Path target = rejected.resolve(report.getFileName());
        Files.move(report, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** Removes the oldest reports of {@code spool} until at most {@code keep} are left, saying so. */
    private void dropOldest(Path spool, int keep) throws IOException {
        List<Path> reports = reports(spool);
        for (Path oldest : reports.subList(0, Math.max(0, reports.size() - keep))) {
            Files.deleteIfExists(oldest);
            log.event("spool " + spool + " holds " + limit + " reports, its limit: dropped the oldest, "
                    + oldest.getFileName() + ", which the server never accepted");
        }
    }

    /**
     * The reports in {@code spool} oldest first (by the time they were written, then by name): regular files named
     * {@code *.json}, never a temporary file of a write in progress.
     */
    private static List<Path> reports(Path spool) throws IOException {
        List<Report> reports = new ArrayList<>();
        try (Stream<Path> entries = Files.list(spool)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (name.endsWith(".json") && !name.startsWith(".") && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    reports.add(new Report(entry, Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        reports.sort(Comparator.comparing(Report::written).thenComparing(Report::file));
        return reports.stream().map(Report::file).toList();
    }

    private record Report(Path file, FileTime written) {
    }
}
