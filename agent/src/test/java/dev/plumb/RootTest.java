package dev.plumb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scene a test sets up on the host (a mount) is undone even when the test's JVM is killed. */
class RootTest {

    @TempDir
    Path dir;

    @Test
    void aMountIsUndoneWhenTheJvmThatMadeItIsKilled() throws Exception {
        assumeTrue(Nobody.available(), "mounting needs root");
        Path mount = Files.createDirectory(dir.resolve("mnt"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), MountAndWait.class.getName(),
                mount.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String ready = output.readLine();
            assumeTrue("mounted".equals(ready), "the child could not mount a tmpfs: " + ready);
            assertThat(deviceOf(mount)).as("the tmpfs is mounted").isNotEqualTo(deviceOf(dir));
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!deviceOf(mount).equals(deviceOf(dir)) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(deviceOf(mount)).as("the mount after its JVM was killed").isEqualTo(deviceOf(dir));
    }

    private static Object deviceOf(Path path) throws IOException {
        return Files.getAttribute(path, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    }

    /** Mounts a tmpfs on its argument, says so, and waits to be killed. */
    static final class MountAndWait {
        public static void main(String[] args) throws Exception {
            Root.Scene mounted = Root.scene(List.of("umount", "-l", args[0]), "mount", "-t", "tmpfs", "tmpfs", args[0]);
            System.out.println(mounted != null ? "mounted" : "failed");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5)); // until killed
        }
    }
}
