package dev.plumb.agent;

import java.nio.file.Path;

/** Where plumb keeps reports and backups: {@code /var/lib/plumb} for root, the XDG state directory otherwise. */
public final class StateDirectory {

    private StateDirectory() {
    }

    /** An explicit choice, else {@code $PLUMB_STATE_DIR}, else the default for the running user. */
    public static Path resolve(Path explicit) {
        if (explicit != null) {
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
}
