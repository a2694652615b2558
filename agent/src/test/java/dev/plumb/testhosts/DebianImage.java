package dev.plumb.testhosts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Debian bookworm tree with systemd, dbus, OpenSSH's server and sudo, and the servers the examples manage (nginx,
 * ntpsec) installed but neither running nor started at boot, built once with {@code debootstrap} and cached
 * under the build directory, for {@link SystemdHost} to boot. A build that was interrupted is never taken as good:
 * debootstrap works in a temporary directory that is renamed into place, with a marker naming its recipe, only when
 * complete; a changed recipe builds anew.
 */
public final class DebianImage {

    /** Overrides where images are cached; by default {@code target/testhosts} of the checkout. */
    public static final String CACHE_PROPERTY = "plumb.testhosts.cache";

    private static final List<String> DEBOOTSTRAP = List.of("debootstrap", "--variant=minbase",
            "--include=systemd,systemd-sysv,dbus,openssh-server,sudo," + String.join(",", IdleServers.PACKAGES), "bookworm");
    /** Names the recipe in the marker; change it when the preparation below changes, so caches rebuild. */
    private static final String RECIPE = String.join(" ", DEBOOTSTRAP) + "; no ssh host keys; "
            + String.join(" ", IdleServers.UNITS) + " not started at boot";
    private static final String NAME = "debian-bookworm";
    private static final String MARKER = ".plumb-test-image";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);

    private static Path built;

    private DebianImage() {
    }

    /** The image's root directory, built on first use; a complete image of the same recipe is reused. */
    public static synchronized Path bookworm() throws IOException, InterruptedException {
        if (built == null) {
            built = buildOrReuse(cacheDirectory());
        }
        return built;
    }

    private static Path cacheDirectory() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        // Surefire runs in a module's directory; both modules share the checkout's cache, so one build serves a run.
        Path directory = Path.of("").toAbsolutePath();
        for (Path candidate = directory; candidate != null; candidate = candidate.getParent()) {
            if (Files.exists(candidate.resolve("mvnw"))) {
                return candidate.resolve("target/testhosts");
            }
        }
        return directory.resolve("target/testhosts");
    }

    private static Path buildOrReuse(Path cache) throws IOException, InterruptedException {
        Files.createDirectories(cache);
        Path image = cache.resolve(NAME);
        // Another JVM (the other module's tests, a second build) may want the same image: one builds, the other waits.
        try (FileChannel lockFile = FileChannel.open(cache.resolve(NAME + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            if (isComplete(image)) {
                return image;
            }
            removeTree(image);
            Path partial = cache.resolve(NAME + ".partial");
            removeTree(partial);
            long start = System.nanoTime();
            debootstrap(partial, cache.resolve(NAME + ".log"));
            prepare(partial);
            Files.writeString(partial.resolve(MARKER), RECIPE + "\n");
            Files.move(partial, image, StandardCopyOption.ATOMIC_MOVE);
            System.err.printf("testhosts: built %s in %d s (%s)%n", image, Duration.ofNanos(System.nanoTime() - start)
                    .toSeconds(), RECIPE);
            return image;
        }
    }

    private static boolean isComplete(Path image) throws IOException {
        Path marker = image.resolve(MARKER);
        return Files.isRegularFile(marker) && Files.readString(marker).strip().equals(RECIPE);
    }

    private static void debootstrap(Path target, Path log) throws IOException, InterruptedException {
        // An interrupted build leaves nothing running or mounted: debootstrap dies with this JVM, and the file systems
        // it mounts into the target (/proc, /dev/pts) live in a mount namespace of its own that dies with it.
        List<String> command = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--",
                "unshare", "--mount", "--propagation", "private", "--"));
        command.addAll(DEBOOTSTRAP);
        command.add(target.toString());
        CommandOutput result = CommandOutput.run(command, Map.of(), BUILD_TIMEOUT);
        Files.writeString(log, result.output());
        result.orFail(command);
    }

    /**
     * Each host gets host keys of its own, so that a test can tell the hosts apart by key. The examples' servers are
     * not started at boot: every host shares this machine's network, where they would take port 80 and 123 on every
     * address; a test that wants one starts it, configured to listen on its host's own loopback address.
     */
    private static void prepare(Path root) throws IOException {
        try (Stream<Path> keys = Files.list(root.resolve("etc/ssh"))) {
            for (Path key : keys.filter(k -> k.getFileName().toString().startsWith("ssh_host_")).toList()) {
                Files.delete(key);
            }
        }
        for (String unit : IdleServers.UNITS) {
            Files.deleteIfExists(root.resolve("etc/systemd/system/multi-user.target.wants").resolve(unit));
        }
    }

    /**
     * The servers examples/nginx and examples/ntp manage, baked into the image rather than installed by each test
     * from Debian's mirrors: the tests then need no network and take no download time, and the examples' package
     * resources find them installed, as on a server that already has them.
     */
    private static final class IdleServers {
        static final List<String> PACKAGES = List.of("nginx", "ntpsec");
        static final List<String> UNITS = List.of("nginx.service", "ntpsec.service");
    }

    /** Removes a tree made by root that may hold anything, staying on its file system (as {@code rm} does safely). */
    static void removeTree(Path tree) throws IOException, InterruptedException {
        if (Files.exists(tree)) {
            List<String> command = List.of("rm", "-rf", "--one-file-system", "--", tree.toString());
            CommandOutput.run(command, Map.of(), Duration.ofMinutes(2)).orFail(command);
        }
    }
}
