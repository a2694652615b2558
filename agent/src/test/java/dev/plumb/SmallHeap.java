package dev.plumb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test's helper {@code main} in a JVM with a small heap, so that a test proves a large file is streamed: reading
 * it whole would end in {@link OutOfMemoryError}.
 */
public final class SmallHeap {

    /** The heap of the child JVM; tests use files several times larger. */
    public static final int HEAP_MB = 32;

    private SmallHeap() {
    }

    /** What {@code main} printed (standard output and error), within two minutes. */
    public static String run(Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx" + HEAP_MB + "m", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!child.waitFor(2, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            throw new AssertionError(main.getSimpleName() + " did not end within two minutes");
        }
        return output;
    }
}
