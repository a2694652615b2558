package dev.plumb.agent;

import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Json;
import dev.plumb.system.Hashing;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real agent in the middle of an apply and checks that every file it manages is either wholly old or
 * wholly new: what {@link dev.plumb.system.AtomicFiles} promises.
 */
class CrashSafetyTest {

    private static final int FILES = 40;
    private static final int MEGABYTE = 1024 * 1024;
    private static final Duration POLL_LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static int sizeOf(int i) {
        return 2 * MEGABYTE + i * (2 * MEGABYTE / FILES); // 2 MB to 4 MB, each a different size
    }

    private static byte[] filled(int size, char c) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    /** Reads the first byte of a file without holding it open: 'a', 'b', or -1 when unreadable. */
    private static int firstByte(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            return in.read();
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void aKilledApplyLeavesEveryFileWhollyOldOrWhollyNew() throws Exception {
        Path files = Files.createDirectory(dir.resolve("files"));
        List<Path> targets = new ArrayList<>();
        List<CatalogResource> resources = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            Path target = files.resolve(String.format("file-%02d.dat", i));
            Files.write(target, filled(sizeOf(i), 'a'));
            targets.add(target);
            byte[] desired = filled(sizeOf(i), 'b');
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("content", new String(desired, StandardCharsets.US_ASCII));
            attributes.put("sha256", Hashing.sha256(desired));
            resources.add(resource("file", target.toString(), attributes));
        }
        Path catalogFile = dir.resolve("catalog.json");
        Files.write(catalogFile, Json.MAPPER.writeValueAsBytes(catalog(resources.toArray(CatalogResource[]::new))));
        Path log = dir.resolve("agent.log");

        String java = ProcessHandle.current().info().command().orElseThrow();
        String testLock = "-D" + RunLock.TEST_LOCK_PROPERTY + "=" + System.getProperty(RunLock.TEST_LOCK_PROPERTY);
        Process agent = new ProcessBuilder(java, "-Xmx2g", testLock, "-cp", System.getProperty("java.class.path"),
                AgentMain.class.getName(), "apply", catalogFile.toString(), "--state-dir", dir.resolve("state").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + POLL_LIMIT.toNanos();
            boolean sawNewContent = false;
            while (!sawNewContent && agent.isAlive() && System.nanoTime() < deadline) {
                sawNewContent = targets.stream().anyMatch(target -> firstByte(target) == 'b');
                if (!sawNewContent) {
                    Thread.sleep(2);
                }
            }
            boolean stillRunning = agent.isAlive();
            agent.destroyForcibly();
            assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as("the killed agent exits").isTrue();
            if (!sawNewContent) {
                fail("no file had its new content after " + POLL_LIMIT.toSeconds() + " s (agent alive: " + stillRunning
                        + ", exit " + (agent.isAlive() ? "-" : agent.exitValue()) + "); agent output:\n" + Files.readString(log));
            }
            if (!stillRunning) {
                fail("the agent finished before it could be killed (exit " + agent.exitValue()
                        + "); make the files larger or more numerous. Agent output:\n" + Files.readString(log));
            }
        } finally {
            agent.destroyForcibly();
        }

        int whollyOld = 0;
        int whollyNew = 0;
        for (int i = 0; i < FILES; i++) {
            byte[] bytes = Files.readAllBytes(targets.get(i));
            if (Arrays.equals(bytes, filled(sizeOf(i), 'a'))) {
                whollyOld++;
            } else if (Arrays.equals(bytes, filled(sizeOf(i), 'b'))) {
                whollyNew++;
            } else {
                fail(targets.get(i) + " is neither wholly old nor wholly new: " + bytes.length + " bytes, expected "
                        + sizeOf(i));
            }
        }
        assertThat(whollyOld + whollyNew).isEqualTo(FILES);
        assertThat(whollyNew).as("files replaced before the kill").isPositive();
        assertThat(whollyOld).as("files still old when the agent was killed (else it was killed too late to prove much)")
                .isPositive();

        // Created 0600, a temporary file gets its file's final mode (here the default, 0644) just before the rename:
        // the kill may land on either side of that, but never leaves one looser than its file will be.
        for (Path stray : temporaryFilesIn(files)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stray)))
                    .as("a temporary file the killed run left is no looser than its file's final mode")
                    .isIn("rw-------", "rw-r--r--");
        }
        Process again = new ProcessBuilder(java, testLock, "-cp", System.getProperty("java.class.path"), AgentMain.class.getName(),
                "apply", catalogFile.toString(), "--state-dir", dir.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(again.waitFor(120, TimeUnit.SECONDS)).as("the next apply ends").isTrue();
        assertThat(temporaryFilesIn(files)).as("stray temporary files after the next apply").isEmpty();
    }

    private static List<Path> temporaryFilesIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(entry -> entry.getFileName().toString().contains(".plumb-")).toList();
        }
    }
}
