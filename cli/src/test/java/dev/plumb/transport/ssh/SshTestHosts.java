package dev.plumb.transport.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real OpenSSH test hosts on this machine: each an {@code sshd} with its own host key, listening on its own loopback
 * address only, in its own mount and UTS namespace with its own hostname and its own tmpfs on {@code /srv} (and on
 * the agent's state, lock and jar cache, so that hosts share none of them). Everything else, Java included, is this
 * machine's. Keys are made here; {@link #close} stops every process and removes every file, whatever happened.
 */
public final class SshTestHosts implements AutoCloseable {

    static final String BECOME_USER = "plumbtest-ssh";
    static final String PASSWORD_SUDO_USER = "plumbtest-sshpw";
    /** Every host answers on this port too, as a host whose sshd is not on 22. */
    static final int OTHER_PORT = 2222;
    private static final Duration START_WAIT = Duration.ofSeconds(10);
    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    /** How a host differs from a plain one. */
    public enum Kind {
        PLAIN,
        /** An empty directory over /usr/lib/jvm: no {@code java} to be found. */
        NO_JAVA,
        /**
         * Two users that exist only there: {@link #BECOME_USER} with passwordless sudo, {@link #PASSWORD_SUDO_USER}
         * with sudo that asks for a password.
         */
        USERS,
        /** A jar cache too small for the agent jar: its upload fails with a full disk. */
        FULL_DISK,
        /**
         * A host that lies: its only {@code java} (over /usr/lib/jvm) is a script that prints {@link #FAKE_FACTS}, reads
         * its input to the end, then prints {@link #FAKE_REPORT} (files of the host's /srv, which a test writes).
         */
        HOSTILE,
        /**
         * A login that prints to stdout and stderr before every command runs (a {@code ~/.ssh/rc} of root's), lines
         * that look like plumb's own among them; the process id it forges is above any pid_max, so no kill can reach a
         * process of this machine's.
         */
        NOISY,
        /** An ECDSA host key besides the ed25519 one. */
        ECDSA_KEY_TOO
    }

    /** What a {@link Kind#HOSTILE} host's {@code java} prints first, then after its input. */
    static final String FAKE_FACTS = "/srv/fake-facts";
    static final String FAKE_REPORT = "/srv/fake-report";

    /** A running test host. */
    public record Host(String name, String address, Process sshd, String publicKey, Path home) {

        /** Its public host key of {@code type} ({@code ecdsa}, {@code ed25519}), as known_hosts holds it. */
        String publicKey(String type) throws IOException {
            return Files.readString(home.resolve("ssh_host_" + type + "_key.pub")).strip();
        }

        /** A path as the host sees it (its own /srv, say), read from here. */
        public Path path(String path) {
            return Path.of("/proc/" + sshd.pid() + "/root" + path);
        }

        /** The sshd processes that serve its connections: killing them cuts the connections. */
        List<ProcessHandle> sessions() {
            return sshd.children().collect(Collectors.toList());
        }
    }

    private final Path directory;
    private final String network = "127.0." + ThreadLocalRandom.current().nextInt(2, 250) + ".";
    private int nextAddress = 11;
    private final List<Process> processes = new ArrayList<>();
    private final List<ServerSocket> listeners = new ArrayList<>();
    private final Path clientKey;

    private SshTestHosts(Path directory) throws IOException, InterruptedException {
        this.directory = directory;
        this.clientKey = directory.resolve("id_ed25519");
        keygen(clientKey, "plumb-test-client");
        Files.copy(directory.resolve("id_ed25519.pub"), directory.resolve("authorized_keys"));
    }

    /** Test hosts in {@code directory}, or the test is skipped when this machine cannot make them. */
    public static SshTestHosts in(Path directory) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(SSHD), "no OpenSSH server (/usr/sbin/sshd): apt-get install openssh-server");
        assumeTrue(onPath("unshare") && onPath("ssh-keygen"),
                "unshare or ssh-keygen missing: apt-get install util-linux openssh-client");
        assumeTrue("root".equals(System.getProperty("user.name")), "SSH test hosts need root (namespaces, mounts)");
        // sshd reads the keys and the home directories as the users it logs in.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new SshTestHosts(directory);
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    public Path clientKey() {
        return clientKey;
    }

    /** A new key pair, which no host accepts. */
    Path otherKey(String name) throws IOException, InterruptedException {
        Path key = directory.resolve(name);
        keygen(key, name);
        return key;
    }

    /** Starts host {@code name}, made as {@code kinds} say, and waits until it answers. */
    public Host start(String name, Kind... kinds) throws IOException, InterruptedException {
        String address = network + nextAddress++;
        Path home = Files.createDirectories(directory.resolve(name));
        Path hostKey = home.resolve("ssh_host_ed25519_key");
        keygen(hostKey, name);
        String otherHostKey = "";
        if (List.of(kinds).contains(Kind.ECDSA_KEY_TOO)) {
            keygen(home.resolve("ssh_host_ecdsa_key"), name, "ecdsa");
            otherHostKey = "HostKey " + home.resolve("ssh_host_ecdsa_key") + "\n";
        }
        Path config = Files.writeString(home.resolve("sshd_config"), otherHostKey + String.join("\n",
                "ListenAddress " + address + ":22", "ListenAddress " + address + ":" + OTHER_PORT, "HostKey " + hostKey,
                "AuthorizedKeysFile " + directory.resolve("authorized_keys"),
                "UsePAM no", "StrictModes no", "PermitRootLogin prohibit-password", "PasswordAuthentication no",
                "KbdInteractiveAuthentication no", "PidFile none", "PrintMotd no", "LogLevel ERROR", ""));
        Files.createDirectories(Path.of("/run/sshd"));
        String script = "set -e; hostname " + name + "; "
                + "for d in /srv /run/plumb /var/lib/plumb /root/.cache; do mkdir -p $d; mount -t tmpfs -o mode=0700 tmpfs $d; done; "
                + Stream.of(kinds).map(kind -> setUp(kind, home)).collect(Collectors.joining())
                + "exec " + SSHD + " -D -e -f " + config;
        Process sshd = new ProcessBuilder("unshare", "--mount", "--uts", "--propagation", "private", "sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(home.resolve("sshd.log").toFile()).start();
        processes.add(sshd);
        awaitListening(new InetSocketAddress(address, 22), sshd, home.resolve("sshd.log"));
        return new Host(name, address, sshd, Files.readString(home.resolve("ssh_host_ed25519_key.pub")).strip(), home);
    }

    /** The shell lines that make a host of {@code kind}, run in its namespace before sshd starts. */
    private String setUp(Kind kind, Path home) {
        switch (kind) {
            case NO_JAVA -> {
                return "mkdir -p " + home.resolve("empty") + "; mount --bind " + home.resolve("empty") + " /usr/lib/jvm; ";
            }
            case FULL_DISK -> {
                return "mount -t tmpfs -o size=64k,mode=0700 tmpfs /root/.cache; ";
            }
            case USERS -> {
                return users(home);
            }
            case HOSTILE -> {
                return fakeJava(home);
            }
            case NOISY -> {
                return "mkdir -p " + home.resolve("dot-ssh") + "; printf '%s\\n' 'echo Welcome to a noisy host' "
                        + "'echo facts 3' 'echo plumb-remote-pid 4999999 >&2' > " + home.resolve("dot-ssh/rc") + "; "
                        + "mkdir -p /root/.ssh; mount --bind " + home.resolve("dot-ssh") + " /root/.ssh; ";
            }
            default -> {
                return "";
            }
        }
    }

    /** A directory over /usr/lib/jvm whose one Java 17 is a script that prints what the test wrote in /srv. */
    private static String fakeJava(Path home) {
        Path jvm = home.resolve("fake-jvm");
        return "mkdir -p " + jvm.resolve("fake/bin") + "; echo 'JAVA_VERSION=\"17.0.99\"' > " + jvm.resolve("fake/release")
                + "; printf '%s\\n' '#!/bin/sh' 'cat " + FAKE_FACTS + "; cat > /dev/null; cat " + FAKE_REPORT + "' > "
                + jvm.resolve("fake/bin/java") + "; chmod 755 " + jvm.resolve("fake/bin/java") + "; mount --bind " + jvm
                + " /usr/lib/jvm; ";
    }

    /**
     * Two users that exist only in the host's namespace: modified copies of passwd, shadow, group and sudoers.d are
     * mounted over the real ones there, so this machine's accounts never change.
     */
    private String users(Path home) {
        try {
            return writeUsers(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String writeUsers(Path home) throws IOException {
        Path etc = Files.createDirectories(home.resolve("etc"));
        StringBuilder passwd = new StringBuilder(Files.readString(Path.of("/etc/passwd")));
        StringBuilder shadow = new StringBuilder(Files.readString(Path.of("/etc/shadow")));
        StringBuilder group = new StringBuilder(Files.readString(Path.of("/etc/group")));
        int uid = 4242;
        for (String user : List.of(BECOME_USER, PASSWORD_SUDO_USER)) {
            Path userHome = Files.createDirectories(home.resolve("home-" + user));
            Files.setAttribute(userHome, "unix:uid", uid);
            Files.setAttribute(userHome, "unix:gid", uid);
            passwd.append(user).append(":x:").append(uid).append(':').append(uid).append("::").append(userHome).append(":/bin/sh\n");
            shadow.append(user).append(":*:19000:0:99999:7:::\n");
            group.append(user).append(":x:").append(uid).append(":\n");
            uid++;
        }
        Files.writeString(etc.resolve("passwd"), passwd);
        Files.writeString(etc.resolve("shadow"), shadow);
        Files.writeString(etc.resolve("group"), group);
        Path sudoers = Files.createDirectories(etc.resolve("sudoers.d"));
        Files.writeString(sudoers.resolve("plumbtest"), BECOME_USER + " ALL=(ALL:ALL) NOPASSWD: ALL\n"
                + PASSWORD_SUDO_USER + " ALL=(ALL:ALL) ALL\n");
        Files.setPosixFilePermissions(sudoers.resolve("plumbtest"), PosixFilePermissions.fromString("r--r-----"));
        return Stream.of("passwd", "shadow", "group", "sudoers.d")
                .map(file -> "mount --bind " + etc.resolve(file) + " /etc/" + file + "; ").collect(Collectors.joining());
    }

    /** A loopback port that accepts connections and never says a word. */
    InetSocketAddress silentListener() throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(network + nextAddress++, 0));
        listeners.add(listener);
        Thread acceptor = new Thread(() -> {
            List<Socket> accepted = new ArrayList<>();
            try {
                while (true) {
                    accepted.add(listener.accept());
                }
            } catch (IOException closed) {
                accepted.forEach(SshTestHosts::closeQuietly);
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** A loopback address where nothing listens. */
    String refusingAddress() {
        return network + nextAddress++;
    }

    private static void awaitListening(InetSocketAddress address, Process sshd, Path log)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!sshd.isAlive()) {
                throw new IllegalStateException("sshd for " + address + " ended: " + Files.readString(log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(address, 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("sshd for " + address + " not listening within " + START_WAIT + ": "
                + Files.readString(log));
    }

    private static void keygen(Path key, String comment) throws IOException, InterruptedException {
        keygen(key, comment, "ed25519");
    }

    private static void keygen(Path key, String comment, String type) throws IOException, InterruptedException {
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-C", comment, "-f", key.toString())
                .redirectErrorStream(true).start();
        String output = new String(keygen.getInputStream().readAllBytes());
        if (keygen.waitFor() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + output);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Ending anyway.
        }
    }

    /** Stops every sshd with all it started (sessions, agents, commands), then removes the hosts' files. */
    @Override
    public void close() throws IOException {
        listeners.forEach(SshTestHosts::closeQuietly);
        for (Process sshd : processes) {
            sshd.descendants().forEach(ProcessHandle::destroyForcibly);
            sshd.destroyForcibly();
        }
        for (Process sshd : processes) {
            try {
                sshd.onExit().get();
            } catch (Exception ignored) {
                // Killed with SIGKILL: it ends.
            }
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
