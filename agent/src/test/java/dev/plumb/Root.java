package dev.plumb;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** System commands the root-safety tests need to set a scene (mount, umount, chattr), run as the test's user. */
public final class Root {

    private Root() {
    }

    /** Runs {@code command} within 30 s; whether it succeeded, so a test can skip where the host cannot. */
    public static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }
}
