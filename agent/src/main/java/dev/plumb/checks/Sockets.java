package dev.plumb.checks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The sockets bound on this host, from the kernel's tables in {@code /proc/net}: TCP sockets in the LISTEN state
 * and UDP sockets bound without a peer. Reading them tells "something is listening" without connecting, which
 * a firewall or an accept queue would get in the way of.
 *
 * <p>The kernel writes a table out on every read, a few milliseconds for a busy host's hundreds of connections, so
 * the port checks of one moment share a reading: one younger than {@link #FRESH} is used again.
 */
final class Sockets {

    private static final String TCP_LISTEN = "0A";
    private static final String UDP_UNCONNECTED = "07";
    static final Duration FRESH = Duration.ofMillis(100);

    private final Path procNet;
    private final Map<Boolean, Reading> readings = new HashMap<>();

    /** One reading of a protocol's tables and when it was taken. */
    private record Reading(long nanos, List<InetSocketAddress> listening) {
    }

    Sockets(Path procNet) {
        this.procNet = procNet;
    }

    static Sockets ofThisHost() {
        return new Sockets(Path.of("/proc/net"));
    }

    /** Whether the kernel's tables can be read here (Linux); without them a check connects instead. */
    boolean readable() {
        return Files.isReadable(procNet.resolve("tcp"));
    }

    /**
     * Every address and port a socket of the protocol listens on, IPv4 and IPv6, as read at most {@link #FRESH}
     * ago. Checks asking at once wait for one reading.
     */
    synchronized List<InetSocketAddress> listening(boolean udp) throws IOException {
        Reading reading = readings.get(udp);
        if (reading == null || System.nanoTime() - reading.nanos() > FRESH.toNanos()) {
            long nanos = System.nanoTime();
            String name = udp ? "udp" : "tcp";
            List<InetSocketAddress> bound = new ArrayList<>();
            read(procNet.resolve(name), udp ? UDP_UNCONNECTED : TCP_LISTEN, bound);
            read(procNet.resolve(name + "6"), udp ? UDP_UNCONNECTED : TCP_LISTEN, bound);
            reading = new Reading(nanos, List.copyOf(bound));
            readings.put(udp, reading);
        }
        return reading.listening();
    }

    private static void read(Path table, String state, List<InetSocketAddress> bound) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (NoSuchFileException e) {
            return; // A kernel without IPv6 has no tcp6 table.
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).trim().split("\\s+", 5);
            if (fields.length > 3 && fields[3].equals(state)) {
                bound.add(parseAddress(fields[1]));
            }
        }
    }

    /**
     * {@code 0100007F:1F90} as 127.0.0.1:8080. The kernel prints each 32-bit word of the address in host byte
     * order, which is little-endian on the machines plumb runs on.
     */
    static InetSocketAddress parseAddress(String field) {
        int colon = field.indexOf(':');
        byte[] words = HexFormat.of().parseHex(field.substring(0, colon));
        byte[] address = new byte[words.length];
        for (int word = 0; word < words.length; word += 4) {
            for (int b = 0; b < 4; b++) {
                address[word + b] = words[word + 3 - b];
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), Integer.parseInt(field.substring(colon + 1), 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid; this is a bug in plumb", e);
        }
    }

    /** Whether an address belongs to this host: loopback, the wildcard, or an address of one of its interfaces. */
    static boolean isLocal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
