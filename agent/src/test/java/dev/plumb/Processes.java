package dev.plumb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** Finds a test's own processes in {@code /proc}, by a marker in their command line. */
public final class Processes {

    private Processes() {
    }

    /**
     * A {@code sleep} under a name no other process has, in {@code dir}: every process started from it carries the
     * name in its command line, which {@link #running} finds, double-forked or not.
     */
    public static Path markedSleep(Path dir) throws IOException {
        // A copy, not a link: the test's temporary directory is then removed without a warning about a link.
        Path copy = dir.resolve("sleep-" + UUID.randomUUID());
        Files.copy(Path.of("/bin/sleep"), copy, StandardCopyOption.COPY_ATTRIBUTES);
        return copy;
    }

    /** The pids of the live processes whose command line contains {@code marker}. */
    public static List<Long> running(String marker) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().matches("[0-9]+"))
                    .filter(p -> commandLine(p).contains(marker))
                    .map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The processes with {@code marker} still running after waiting up to {@code limit} for them to go. */
    public static List<Long> survivors(String marker, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        List<Long> left = running(marker);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = running(marker);
        }
        return left;
    }

    /** Kills what a failed test left behind. */
    public static void kill(String marker) {
        running(marker).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private static String commandLine(Path process) {
        try {
            // A zombie has an empty command line: it is dead, only not yet reaped.
            return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
