package dev.plumb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The unprivileged attacker of the root-safety tests: shell commands run as the user {@code nobody}. */
public final class Nobody {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private Nobody() {
    }

    /**
     * Whether this test runs as root with {@code runuser}, as the attacks need. Where {@code PLUMB_TESTS_REQUIRE_ROOT=1}
     * (CI sets it) an attack that cannot run fails instead of skipping, so a green run means the attacks ran.
     */
    public static boolean available() {
        boolean available = "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/runuser"));
        if (!available && Root.required()) {
            throw new AssertionError("the attacks of the root-safety tests run as nobody through runuser, as root; "
                    + "PLUMB_TESTS_REQUIRE_ROOT=1 forbids skipping them");
        }
        return available;
    }

    /** Makes a test's temporary directory reachable by nobody; the directories above are world-searchable already. */
    public static void canEnter(Path directory) throws IOException {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Gives {@code path} to nobody. */
    public static void owns(Path path) throws IOException {
        Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    }

    /** Runs {@code script} as nobody and waits for it, within a minute; returns its output. */
    public static String run(String script) throws IOException, InterruptedException {
        Attack attack = start(script);
        return attack.finish();
    }

    /** Starts {@code script} as nobody, killed after a minute at the latest. */
    public static Attack start(String script) throws IOException {
        List<String> command = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", "nobody", "--", "timeout",
                String.valueOf(LIMIT.toSeconds()), "sh", "-c", script));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new Attack(process);
    }

    /** A running attack whose output is collected as it comes. */
    public static final class Attack {
        private final Process process;
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();
        private final Thread reader;

        Attack(Process process) {
            this.process = process;
            // ByteArrayOutputStream is synchronized: the test may read what arrived while this thread appends.
            this.reader = new Thread(() -> {
                try {
                    process.getInputStream().transferTo(output);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            reader.start();
        }

        /** What the attack printed so far. */
        public String output() {
            return output.toString(StandardCharsets.UTF_8);
        }

        /** Waits for the attack to end by itself, within a minute; returns all it printed. */
        public String finish() throws InterruptedException {
            if (!process.waitFor(LIMIT.toSeconds() + 5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the attack did not end within " + LIMIT);
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
            return output();
        }
    }
}
