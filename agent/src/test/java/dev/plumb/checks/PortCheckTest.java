package dev.plumb.checks;

import dev.plumb.api.Mismatch;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.CheckStatus;
import static dev.plumb.checks.CheckFixtures.check;
import static dev.plumb.checks.CheckFixtures.problems;
import static dev.plumb.checks.CheckFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The port check against real sockets on loopback, read from the kernel's socket tables. */
class PortCheckTest {

    @TempDir
    Path dir;

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aListeningPortPassesAndAClosedOneFails() throws IOException {
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = String.valueOf(open.getLocalPort());
            CheckResult listening = run(check("port", port));
            assertThat(listening.passed()).isTrue();
            assertThat(run(check("port", port, "host", "127.0.0.1")).passed()).isTrue();
            assertThat(run(check("port", port, "host", "localhost")).passed()).isTrue();

            CheckResult notWanted = run(check("port", port, "listening", false));
            assertThat(notWanted.mismatches()).containsExactly(new Mismatch("listening",
                    "nothing listening on tcp port " + port, "something listening"));
            assertThat(notWanted.evidence()).isEqualTo("bound: 127.0.0.1:" + port);
        }
        String closed = String.valueOf(closedPort());
        assertThat(run(check("port", closed, "listening", false)).passed()).isTrue();
        CheckResult missing = run(check("port", closed));
        assertThat(missing.mismatches()).containsExactly(new Mismatch("listening",
                "something listening on tcp port " + closed, "nothing listening"));
        assertThat(missing.evidence()).isEqualTo("no tcp socket is bound to port " + closed);
    }

    @Test
    void aSocketBoundToAllAddressesListensOnEachLocalAddress() throws IOException {
        try (ServerSocket any = new ServerSocket()) {
            any.bind(new InetSocketAddress(0));
            String port = String.valueOf(any.getLocalPort());
            assertThat(run(check("port", port, "host", "127.0.0.1")).passed()).isTrue();
            assertThat(run(check("port", port, "host", "::1")).passed()).isTrue();
        }
    }

    @Test
    void aSocketBoundToOneAddressDoesNotListenOnAnother() throws IOException {
        try (ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String port = String.valueOf(loopback.getLocalPort());
            CheckResult result = run(check("port", port, "host", "127.0.0.2"));
            assertThat(result.status()).isEqualTo(CheckStatus.FAILED);
            assertThat(result.evidence()).isEqualTo("no tcp socket is bound to port " + port
                    + " on 127.0.0.2 or on all addresses");
        }
    }

    @Test
    void udpPortsAreReadFromTheUdpTables() throws IOException {
        try (DatagramChannel udp = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            String port = String.valueOf(((InetSocketAddress) udp.getLocalAddress()).getPort());
            assertThat(run(check("port", port, "protocol", "udp")).passed()).isTrue();
            assertThat(run(check("port", port)).passed()).as("nothing listens on the tcp port of that number").isFalse();
        }
    }

    @Test
    void kernelTableAddressesAreDecoded() throws IOException {
        assertThat(Sockets.parseAddress("0100007F:1F90")).isEqualTo(new InetSocketAddress("127.0.0.1", 8080));
        assertThat(Sockets.parseAddress("00000000000000000000000001000000:0016")).isEqualTo(new InetSocketAddress("::1", 22));
        Path procNet = Files.createDirectories(dir.resolve("net"));
        Files.writeString(procNet.resolve("tcp"), """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
                   1: 0100007F:9C40 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0 20 4 30 10 -1
                """);
        assertThat(new Sockets(procNet).listening(false)).containsExactly(new InetSocketAddress("127.0.0.1", 8080));
    }

    @Test
    void portsAndProtocolsAreValidated() {
        assertThat(problems("port", "70000")).containsExactly("'70000' is not a port; expected a number from 1 to 65535");
        assertThat(problems("port", "0")).containsExactly("'0' is not a port; expected a number from 1 to 65535");
        assertThat(problems("port", "http")).containsExactly("'http' is not a port; expected a number from 1 to 65535");
        assertThat(problems("port", "53", "protocol", "tpc"))
                .containsExactly("protocol: 'tpc' is not one of tcp, udp; did you mean 'tcp'?");
    }
}
