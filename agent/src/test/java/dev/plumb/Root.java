package dev.plumb;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** System commands the root-safety tests need to set a scene (mount, chattr), run as the test's user, and undo it. */
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

    /**
     * Runs {@code command} (a mount, a {@code chattr +i}) and arranges for {@code undo} to run when the scene is closed,
     * or when this JVM dies, even by SIGKILL: a guard in its own session waits for this JVM's PID to end
     * ({@code tail --pid}) and then undoes. Null when the command failed, so a test can skip where the host cannot.
     */
    public static Scene scene(List<String> undo, String... command) throws IOException, InterruptedException {
        List<String> guardCommand = new ArrayList<>(List.of("setsid", "sh", "-c",
                "tail --pid=" + ProcessHandle.current().pid() + " -f /dev/null; exec \"$@\"", "undo"));
        guardCommand.addAll(undo);
        Process guard = new ProcessBuilder(guardCommand).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Scene scene = new Scene(guard, undo);
        if (!run(command)) {
            scene.close();
            if (required()) {
                throw new AssertionError("'" + String.join(" ", command) + "' failed, and PLUMB_TESTS_REQUIRE_ROOT=1 "
                        + "forbids skipping the test that needs it");
            }
            return null;
        }
        return scene;
    }

    /** Whether root-only tests must run rather than skip: CI sets {@code PLUMB_TESTS_REQUIRE_ROOT=1}. */
    public static boolean required() {
        return "1".equals(System.getenv("PLUMB_TESTS_REQUIRE_ROOT"));
    }

    /** A change to the host that is undone on close, or by its guard if this JVM dies first. */
    public static final class Scene implements AutoCloseable {
        private final Process guard;
        private final List<String> undo;

        Scene(Process guard, List<String> undo) {
            this.guard = guard;
            this.undo = undo;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            guard.descendants().forEach(ProcessHandle::destroy);
            guard.destroy();
            run(undo.toArray(String[]::new));
        }
    }
}
