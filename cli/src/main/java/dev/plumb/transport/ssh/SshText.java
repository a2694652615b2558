package dev.plumb.transport.ssh;

import java.nio.file.Path;
import java.time.Duration;

/** How the SSH transport's messages show paths and durations. */
final class SshText {

    private SshText() {
    }

    /** {@code path} with the user's home directory shown as {@code ~}, as OpenSSH's messages do. */
    static String shortPath(Path path) {
        Path home = Path.of(System.getProperty("user.home"));
        return path.startsWith(home) && !path.equals(home) ? "~/" + home.relativize(path) : path.toString();
    }

    /** {@code 10 s}, or {@code 1.5 s} below a second's precision. */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format("%.1f s", millis / 1000.0);
    }
}
