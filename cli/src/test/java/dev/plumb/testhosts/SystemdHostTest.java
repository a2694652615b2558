package dev.plumb.testhosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian test hosts, as the SSH tests use them: whole systems with systemd as PID 1 that OpenSSH's client reaches
 * on their own loopback addresses, each with its own name and host key, and nothing listening beyond loopback.
 */
class SystemdHostTest {

    private static final Duration SSH_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path work;

    private Path key;

    @BeforeAll
    static void assumeBootable() {
        SystemdHost.assumeBootable();
    }

    @BeforeEach
    void generateKey() throws Exception {
        key = work.resolve("id_ed25519");
        List<String> keygen = List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
        CommandOutput.run(keygen, Map.of(), SSH_TIMEOUT).orFail(keygen);
    }

    private String publicKey() throws IOException {
        return Files.readString(Path.of(key + ".pub"));
    }

    /** OpenSSH's client, trusting only the host keys in {@code knownHosts}. */
    private CommandOutput ssh(Path knownHosts, String address, String command) throws Exception {
        return CommandOutput.run(List.of("ssh", "-i", key.toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts, "root@" + address, command),
                Map.of(), SSH_TIMEOUT);
    }

    @Test
    void eachHostAnswersOverSshOnItsOwnAddressWithItsOwnNameHostKeyAndSystemdAsPid1() throws Exception {
        try (SystemdHost web1 = SystemdHost.bootWithSsh("plumbtest-web1", "127.0.0.51", publicKey());
             SystemdHost web2 = SystemdHost.bootWithSsh("plumbtest-web2", "127.0.0.52", publicKey())) {
            Path knownHosts = work.resolve("known_hosts");
            Files.writeString(knownHosts, "127.0.0.51 " + web1.sshHostKey() + "\n127.0.0.52 " + web2.sshHostKey() + "\n");

            CommandOutput first = ssh(knownHosts, "127.0.0.51", "hostname; cat /proc/1/comm; java -version 2>&1 | head -1");
            CommandOutput second = ssh(knownHosts, "127.0.0.52", "hostname");

            assertThat(web1.sshHostKey()).isNotEqualTo(web2.sshHostKey());
            assertThat(first.output()).as(first.output()).startsWith("plumbtest-web1\nsystemd\n")
                    .contains("version \"" + Runtime.version().feature());
            assertThat(second.output()).as(second.output()).isEqualTo("plumbtest-web2\n");
        }
    }

    @Test
    void nothingListensBeyondLoopbackAndClosingHaltsAndRemovesTheHost() throws Exception {
        SystemdHost host = SystemdHost.bootWithSsh("plumbtest-web3", "127.0.0.53", publicKey());
        Set<String> listening;
        try {
            listening = listeningAddresses(host);
        } finally {
            host.close();
        }

        assertThat(listening).containsExactly("127.0.0.53:22");
        assertThat(ProcessHandle.of(host.pid())).isEmpty();
        assertThat(leftDirectories()).noneMatch(d -> d.contains("plumbtest-web3"));
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.53", 22), 1000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    /** The TCP and UDP addresses that the host's processes listen on, as this machine's {@code ss} shows them. */
    private static Set<String> listeningAddresses(SystemdHost host) throws Exception {
        Set<Long> processes = Stream.concat(Stream.of(host.pid()),
                ProcessHandle.of(host.pid()).orElseThrow().descendants().map(ProcessHandle::pid)).collect(Collectors.toSet());
        List<String> command = List.of("ss", "--listening", "--tcp", "--udp", "--numeric", "--processes", "--no-header");
        Pattern owner = Pattern.compile("pid=(\\d+)");
        return CommandOutput.run(command, Map.of(), SSH_TIMEOUT).orFail(command).output().lines()
                .filter(line -> owner.matcher(line).results().anyMatch(m -> processes.contains(Long.parseLong(m.group(1)))))
                .map(line -> line.trim().split("\\s+")[4])
                .collect(Collectors.toSet());
    }

    private static List<String> leftDirectories() throws IOException {
        try (Stream<Path> temp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return temp.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("plumb-systemd-host-")).toList();
        }
    }
}
