package dev.plumb.testhosts;

import dev.plumb.Root;
import dev.plumb.api.Command;
import dev.plumb.api.CommandRunner;
import dev.plumb.facts.Facts;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A whole Debian system with systemd as PID 1 for a test, booted with {@code systemd-nspawn} from {@link DebianImage}:
 * its own hostname, dpkg database, users, services and journal, on this machine's network. Its files are an overlay
 * on the image, mounted in a mount namespace of its own, so the image stays untouched and nothing stays mounted
 * here. It sees this machine's Java (read-only) and, at {@link #inside}, this machine's temp directory. With SSH, its
 * sshd listens on one loopback address only; without, sshd is masked. Commands run inside it through {@code nsenter};
 * closing it halts it and removes its files, and so does a guard process if this JVM dies first.
 *
 * <pre>{@code
 * try (SystemdHost host = SystemdHost.bootWithSsh("web1", "127.0.0.21", publicKey)) {
 *     host.exec("systemctl", "is-active", "ssh");   // exit code 0, output "active\n"
 * }
 * }</pre>
 */
public final class SystemdHost implements AutoCloseable {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HALT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Map<String, String> DEBIAN_PATH =
            Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    private static final Path THIS_MACHINES_TEMP = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    /** Where this machine's temp directory appears inside: not at /tmp, whose contents systemd-tmpfiles removes at boot. */
    private static final Path SHARED_TEMP = Path.of("/run/plumb-host-tmp");
    private static final Path JVMS = Path.of("/usr/lib/jvm");
    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));
    private static final String HOST_KEY = "etc/ssh/ssh_host_ed25519_key";
    private static final List<String> TOOLS = List.of("systemd-nspawn:systemd-container", "debootstrap:debootstrap",
            "nsenter:util-linux", "unshare:util-linux", "setpriv:util-linux", "ssh-keygen:openssh-client");

    private final String name;
    private final Path directory;
    private final Process nspawn;
    private final Process guard;
    private final long init;
    private final String sshHostKey;

    private SystemdHost(String name, Path directory, Process nspawn, Process guard, long init, String sshHostKey) {
        this.name = name;
        this.directory = directory;
        this.nspawn = nspawn;
        this.guard = guard;
        this.init = init;
        this.sshHostKey = sshHostKey;
    }

    /**
     * Skips the calling test, saying why, where this machine cannot boot a host: not root, or a tool missing. Where
     * {@code PLUMB_TESTS_REQUIRE_ROOT=1} (CI), fails instead, so that a green run means the hosts booted.
     */
    public static void assumeBootable() {
        boolean root = Boolean.TRUE.equals(Facts.ofThisHost().get("root"));
        Optional<String> reason = whyUnbootable(root, command -> Stream.of("/usr/bin", "/usr/sbin", "/bin", "/sbin")
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, command))));
        if (reason.isPresent() && Root.required()) {
            throw new AssertionError(reason.get() + ". PLUMB_TESTS_REQUIRE_ROOT=1 forbids skipping the tests that need one");
        }
        reason.ifPresent(Assumptions::abort);
    }

    /** Why a machine cannot boot a host, naming what to install, or nothing when it can. */
    static Optional<String> whyUnbootable(boolean root, Predicate<String> installed) {
        List<String> missing = new ArrayList<>();
        if (!root) {
            missing.add("the tests must run as root");
        }
        for (String tool : TOOLS) {
            String command = tool.substring(0, tool.indexOf(':'));
            if (!installed.test(command)) {
                missing.add(command + " is not installed (apt-get install " + tool.substring(tool.indexOf(':') + 1) + ")");
            }
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of("this machine cannot boot a Debian host with systemd as "
                + "PID 1 in systemd-nspawn: " + String.join("; ", missing));
    }

    /** Boots a host named {@code name} whose sshd is masked, for tests that only need systemd. */
    public static SystemdHost boot(String name) throws IOException, InterruptedException {
        return boot(name, stage -> {
            for (String unit : List.of("ssh.service", "ssh.socket")) {
                Path mask = stage.resolve("etc/systemd/system").resolve(unit);
                Files.createDirectories(mask.getParent());
                Files.createSymbolicLink(mask, Path.of("/dev/null"));
            }
        });
    }

    /**
     * Boots a host named {@code name} whose sshd listens on {@code address} port 22 only (a loopback address such as
     * 127.0.0.21), with a host key of its own, and lets in root with the key whose public half is {@code authorizedKey}.
     */
    public static SystemdHost bootWithSsh(String name, String address, String authorizedKey)
            throws IOException, InterruptedException {
        if (!address.startsWith("127.")) {
            throw new IllegalArgumentException(address
                    + " is not a loopback address: test hosts never listen beyond loopback");
        }
        return boot(name, stage -> {
            write(stage.resolve("etc/ssh/sshd_config.d/plumb-test-host.conf"), "ListenAddress " + address + ":22\n");
            List<String> keygen = List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "root@" + name, "-f",
                    stage.resolve(HOST_KEY).toString());
            CommandOutput.run(keygen, Map.of(), COMMAND_TIMEOUT).orFail(keygen);
            Path ssh = Files.createDirectories(stage.resolve("root/.ssh"));
            Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
            write(ssh.resolve("authorized_keys"), authorizedKey.strip() + "\n");
        });
    }

    /** What a kind of host adds to the files every host gets. */
    private interface Staging {
        void into(Path stage) throws IOException, InterruptedException;
    }

    private static SystemdHost boot(String name, Staging staging) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("plumb-systemd-host-" + name + "-");
        try {
            Path stage = stage(directory, name);
            staging.into(stage);
            Path sshHostKey = stage.resolve(HOST_KEY + ".pub");
            return start(name, directory, Files.exists(sshHostKey) ? Files.readString(sshHostKey).strip() : null);
        } catch (IOException | InterruptedException | RuntimeException e) {
            DebianImage.removeTree(directory);
            throw e;
        }
    }

    /** The files every host gets on top of the image, in {@code directory/stage}. */
    private static Path stage(Path directory, String name) throws IOException {
        Path stage = directory.resolve("stage");
        write(stage.resolve("etc/hostname"), name + "\n");
        // The JVM running the tests, bound read-only below, is the host's java on its PATH.
        Path link = stage.resolve("usr/local/bin/java");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, JAVA_HOME.resolve("bin/java"));
        return stage;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static SystemdHost start(String name, Path directory, String sshHostKey)
            throws IOException, InterruptedException {
        Path image = DebianImage.bookworm();
        Path root = directory.resolve("root");
        for (String part : List.of("upper", "work", "root")) {
            Files.createDirectories(directory.resolve(part));
        }
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                "mount -t overlay overlay -o \"lowerdir=$1,upperdir=$2,workdir=$3\" \"$4\" && cp -R \"$5/.\" \"$4/\" "
                        + "&& shift 5 && exec \"$@\"",
                "sh", image.toString(), directory.resolve("upper").toString(), directory.resolve("work").toString(),
                root.toString(), directory.resolve("stage").toString(),
                "systemd-nspawn", "--register=no", "--keep-unit", "--machine=" + name, "--directory=" + root, "--boot",
                "--console=pipe", "--bind=" + THIS_MACHINES_TEMP + ":" + SHARED_TEMP + ":norbind",
                // Time daemons start only with CAP_SYS_TIME (ConditionCapability), but this machine's clock is not
                // theirs: the system calls that set or adjust it are refused, and ntpd runs on without them.
                "--capability=CAP_SYS_TIME", "--system-call-filter=~@clock"));
        for (Path java : javaDirectories()) {
            command.add("--bind-ro=" + java);
        }
        Path console = directory.resolve("console.log");
        Process nspawn = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
        Process guard = guard(nspawn, directory);
        try {
            SystemdHost host = new SystemdHost(name, directory, nspawn, guard, init(nspawn, console), sshHostKey);
            host.awaitBooted(console);
            return host;
        } catch (IOException | InterruptedException | RuntimeException e) {
            halt(nspawn, guard, directory);
            throw e;
        }
    }

    /** The JVM running the tests, /usr/lib/jvm, and the /etc/java-* directories Debian's JVMs link configuration to. */
    private static List<Path> javaDirectories() throws IOException {
        List<Path> directories = new ArrayList<>();
        if (Files.isDirectory(JVMS)) {
            directories.add(JVMS);
        }
        if (!JAVA_HOME.startsWith(JVMS)) {
            directories.add(JAVA_HOME);
        }
        try (Stream<Path> etc = Files.list(Path.of("/etc"))) {
            etc.filter(p -> p.getFileName().toString().startsWith("java-") && Files.isDirectory(p)).sorted()
                    .forEach(directories::add);
        }
        return directories;
    }

    /** Halts the host and removes its files when this JVM dies before closing it, even by SIGKILL. */
    private static Process guard(Process nspawn, Path directory) throws IOException {
        return new ProcessBuilder("setsid", "sh", "-c", "tail --pid=\"$1\" -f /dev/null; kill -TERM \"$2\"; "
                + "tail --pid=\"$2\" -f /dev/null; rm -rf --one-file-system -- \"$3\"", "guard",
                String.valueOf(ProcessHandle.current().pid()), String.valueOf(nspawn.pid()), directory.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The host's PID 1, its systemd, as this machine numbers it: the descendant of nspawn that is 1 in its namespace. */
    private static long init(Process nspawn, Path console) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Long> init = nspawn.descendants().map(ProcessHandle::pid).filter(SystemdHost::isNamespaceInit)
                    .findFirst();
            if (init.isPresent()) {
                return init.get();
            }
            failIfGone(nspawn, console);
            Thread.sleep(POLL.toMillis());
        }
        throw new IOException("systemd-nspawn started no init within " + BOOT_TIMEOUT.toSeconds() + " s:\n" + tail(console));
    }

    private static boolean isNamespaceInit(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .anyMatch(line -> line.startsWith("NSpid:") && line.endsWith("\t1"));
        } catch (IOException e) {
            return false; // it has just exited
        }
    }

    private void awaitBooted(Path console) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = exec("systemctl", "is-system-running").output().strip();
            if (state.equals("running") || state.equals("degraded")) {
                return;
            }
            failIfGone(nspawn, console);
            Thread.sleep(POLL.toMillis());
        }
        throw new IOException(name + " did not finish booting within " + BOOT_TIMEOUT.toSeconds()
                + " s (systemctl is-system-running: " + state + "); its console:\n" + tail(console));
    }

    private static void failIfGone(Process nspawn, Path console) throws IOException {
        if (!nspawn.isAlive()) {
            throw new IOException("systemd-nspawn exited with " + nspawn.exitValue() + " while booting:\n" + tail(console));
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    public String name() {
        return name;
    }

    /** The process ID of the host's systemd, its PID 1, as this machine numbers it. */
    public long pid() {
        return init;
    }

    /** The host's root directory as this machine sees it, its mounts included: read and write its files here. */
    public Path root() {
        return Path.of("/proc", String.valueOf(init), "root");
    }

    /** The public half of the host's SSH host key, as a known_hosts line takes it; only for a host booted with SSH. */
    public String sshHostKey() {
        if (sshHostKey == null) {
            throw new IllegalStateException(name + " was booted without SSH");
        }
        return sshHostKey;
    }

    /**
     * Where a file under this machine's temp directory (a {@code @TempDir}) appears inside the host: the same file,
     * which both sides read and write.
     */
    public Path inside(Path onThisMachine) {
        Path path = onThisMachine.toAbsolutePath().normalize();
        if (!path.startsWith(THIS_MACHINES_TEMP)) {
            throw new IllegalArgumentException(path + " is not under " + THIS_MACHINES_TEMP
                    + ", the only directory of this machine that a test host sees");
        }
        return SHARED_TEMP.resolve(THIS_MACHINES_TEMP.relativize(path));
    }

    /** Runs a command inside the host, with Debian's PATH, within 60 s. */
    public CommandOutput exec(String... command) throws IOException, InterruptedException {
        return CommandOutput.run(inHost(List.of(command)), DEBIAN_PATH, COMMAND_TIMEOUT);
    }

    /** A command runner whose commands run inside the host: the seam through which plumb's providers act on it. */
    public CommandRunner commands() {
        ProcessCommandRunner runner = new ProcessCommandRunner();
        return command -> {
            List<String> argv = new ArrayList<>();
            if (command.cwd() != null) {
                argv.addAll(List.of("env", "--chdir=" + command.cwd()));
            }
            argv.addAll(command.argv());
            Map<String, String> env = new HashMap<>(DEBIAN_PATH);
            env.putAll(command.env());
            return runner.run(new Command(inHost(argv), null, env, command.timeout(), command.stdin()));
        };
    }

    private List<String> inHost(List<String> command) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "--target", String.valueOf(init), "--all", "--"));
        argv.addAll(command);
        return argv;
    }

    /** Halts the host (SIGTERM to nspawn, as for a shutdown), waits for it within a bound, and removes its files. */
    @Override
    public void close() throws IOException, InterruptedException {
        halt(nspawn, guard, directory);
    }

    private static void halt(Process nspawn, Process guard, Path directory) throws IOException, InterruptedException {
        guard.descendants().forEach(ProcessHandle::destroy);
        guard.destroy();
        nspawn.destroy();
        if (!nspawn.waitFor(HALT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            nspawn.destroyForcibly().waitFor();
        }
        DebianImage.removeTree(directory);
    }
}
