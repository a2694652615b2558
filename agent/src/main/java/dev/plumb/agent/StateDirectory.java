package dev.plumb.agent;

import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Where plumb keeps reports and backups: {@code /var/lib/plumb} for root, the XDG state directory otherwise. */
public final class StateDirectory {

    private StateDirectory() {
    }

    /** An explicit choice, else {@code $PLUMB_STATE_DIR}, else the default for the running user. */
    public static Path resolve(Path explicit) throws RunRefusedException {
        if (explicit != null) {
            if (explicit.toString().isEmpty()) {
                throw new RunRefusedException("--state-dir is empty; name a directory, or leave the option out for "
                        + "the default");
            }
            return explicit;
        }
        String fromEnvironment = System.getenv("PLUMB_STATE_DIR");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/plumb");
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("plumb");
    }

    /**
     * Makes sure {@code directory} can hold this run's reports, backups and pending refreshes before anything
     * changes: creates it (0700: backups hold old contents of private files) when missing, then creates and removes a
     * file in it.
     */
    static void prepare(Path directory) throws RunRefusedException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw unusable(directory, "it is not a directory");
        }
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Files.delete(Files.createTempFile(directory, ".plumb-write-test", ""));
        } catch (IOException e) {
            throw unusable(directory, FileErrors.describe(e));
        }
    }

    private static RunRefusedException unusable(Path directory, String reason) {
        return new RunRefusedException("state directory " + directory + " is not writable (" + reason
                + "); nothing was changed. Choose another with --state-dir or $PLUMB_STATE_DIR");
    }
}
