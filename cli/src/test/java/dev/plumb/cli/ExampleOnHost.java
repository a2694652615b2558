package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.testhosts.SystemdHost;
import dev.plumb.transport.ssh.TestAgentJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One of the projects under examples/ applied as a user applies it, over SSH, to a whole Debian server with systemd
 * as PID 1 booted for a test class: the example's own files, with the one line of its inventory that names this
 * machine ({@code local: { connection: local, groups: [...] }}) naming the server instead, with the host vars a test
 * server needs (its own loopback address to listen on).
 */
final class ExampleOnHost implements AutoCloseable {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final Pattern LOCAL_HOST = Pattern.compile("(?m)^  local: \\{ connection: local, groups: (\\[[^]]*]) }$");

    private final SystemdHost host;
    private final Path project;
    private final Path state;

    private ExampleOnHost(SystemdHost host, Path project, Path state) {
        this.host = host;
        this.project = project;
        this.state = state;
    }

    /**
     * Boots a server at {@code address} (a loopback address no other test uses) and prepares {@code example} in
     * {@code dir} to be applied to it as host {@code server}, with {@code hostVars} (a YAML flow mapping).
     */
    static ExampleOnHost boot(Path dir, String example, String address, String hostVars) throws Exception {
        SystemdHost.assumeBootable();
        TestAgentJar.sentToHosts();
        Path key = dir.resolve("id_ed25519");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).as(new String(keygen.getInputStream().readAllBytes())).isZero();
        Path project = dir.resolve(example);
        copyTree(EXAMPLES.resolve(example), project);
        String inventory = Files.readString(project.resolve("inventory.yaml"));
        Matcher local = LOCAL_HOST.matcher(inventory);
        assertThat(local.find()).as("examples/%s/inventory.yaml names this machine as local", example).isTrue();
        Files.writeString(project.resolve("inventory.yaml"), local.replaceFirst(Matcher.quoteReplacement(
                "  server: { address: " + address + ", user: root, identity: " + key + ", groups: " + local.group(1)
                        + ", vars: " + hostVars + " }")));
        SystemdHost host = SystemdHost.bootWithSsh("plumbtest-" + example, address, Files.readString(dir.resolve("id_ed25519.pub")));
        Files.writeString(project.resolve("known_hosts"), address + " " + host.sshHostKey() + "\n");
        return new ExampleOnHost(host, project, dir.resolve("state"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    /** Runs plumb on the example, as {@code plumb ARGS -p PROJECT}, with a state directory of the test's own. */
    InProcess plumb(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-p", project.toString(), "--state-dir", state.toString()));
        return InProcess.plumb(all);
    }

    /** What a command run inside the server printed, its exit code asserted to be {@code exitCode}. */
    String inside(int exitCode, String... command) throws Exception {
        var result = host.exec(command);
        assertThat(result.exitCode()).as("%s: %s", String.join(" ", command), result.output()).isEqualTo(exitCode);
        return result.output().strip();
    }

    /** What a command that must succeed inside the server printed. */
    String inside(String... command) throws Exception {
        return inside(0, command);
    }

    /** The content of a file of the server. */
    String file(String path) throws IOException {
        return Files.readString(host.root().resolve(path.substring(1)));
    }

    @Override
    public void close() throws Exception {
        host.close();
    }
}
