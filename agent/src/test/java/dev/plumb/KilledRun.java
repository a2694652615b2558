package dev.plumb;

import java.io.IOException;
import java.nio.file.Path;

/** What a killed run leaves behind: temporary files named after a process that no longer runs. */
public final class KilledRun {

    private KilledRun() {
    }

    /** The name a killed run's temporary file for {@code target} has, next to it. */
    public static Path temporaryNextTo(Path target) throws IOException, InterruptedException {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        return target.resolveSibling("." + target.getFileName() + ".plumb-tmp-" + ended.pid() + "-0123456789abcdef");
    }
}
