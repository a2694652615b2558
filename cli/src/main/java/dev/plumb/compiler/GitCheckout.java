package dev.plumb.compiler;

import dev.plumb.catalog.ProjectSource;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which commit of a git checkout a project is, asked of git itself: the commit checked out and whether files
 * differ from it. A project that is not a checkout, a machine without git, or a git that does not answer within
 * a moment (a huge or network-mounted work tree) all give none: the catalog then names no commit.
 */
final class GitCheckout {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private GitCheckout() {
    }

    /** The commit {@code directory} is at and whether it has uncommitted changes, or null when git cannot tell. */
    static ProjectSource of(Path directory) {
        if (!mayBeInACheckout(directory)) {
            return null;
        }
        String commit = git(directory, "rev-parse", "--verify", "--quiet", "HEAD");
        if (commit == null || !commit.strip().matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
            return null;
        }
        String status = git(directory, "status", "--porcelain");
        return status == null ? null : new ProjectSource(commit.strip(), !status.isBlank());
    }

    /**
     * Whether git could find a repository for {@code directory}: a {@code .git} in it or a directory above it, or
     * GIT_DIR set. Starting git costs tens of milliseconds, which a project that is no checkout need not pay.
     */
    static boolean mayBeInACheckout(Path directory) {
        if (System.getenv("GIT_DIR") != null) {
            return true;
        }
        try {
            for (Path at = directory.toRealPath(); at != null; at = at.getParent()) {
                if (Files.exists(at.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true; // git itself tells
        }
    }

    /** What {@code git -C directory args} printed, or null when it failed, ran too long or could not start. */
    private static String git(Path directory, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-C", directory.toString()));
        argv.addAll(List.of(args));
        Path output = null;
        try {
            // Output goes to a file, not a pipe: a long status cannot fill a pipe nobody reads while we wait.
            output = Files.createTempFile("plumb-git", ".out");
            ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // A status run only to look takes no lock on the index, so it never gets in the way of the user's git.
            builder.environment().put("GIT_OPTIONAL_LOCKS", "0");
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? Files.readString(output, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A temporary file left behind is harmless; the commit was read or not either way.
            }
        }
    }
}
