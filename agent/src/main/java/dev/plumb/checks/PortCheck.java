package dev.plumb.checks;

import dev.plumb.api.Attribute;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Verdict;
import dev.plumb.resources.Rules;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code port: NUMBER} — whether something listens on a port. On this host the kernel's socket tables answer:
 * listening means a socket is bound to the port (on the given address, or on all addresses). For another host,
 * plumb connects: a TCP connection accepted means listening; refused, unreachable or unanswered means not.
 */
public record PortCheck(
        @Attribute(doc = "the port number, 1 to 65535") String port,
        @Attribute(doc = "where to look: by default any address of this host; a local name or address "
                + "(localhost, 127.0.0.1) looks at sockets bound to it or to all addresses; another "
                + "host is connected to")
        String host,
        @Attribute(doc = "whether something must listen (default) or must not",
                defaultValue = "true")
        Boolean listening,
        @Attribute(doc = "tcp (default) or udp; UDP only on this host, since UDP does not answer a connect",
                defaultValue = "tcp", values = {"tcp", "udp"})
        String protocol) implements Check {

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        if (number() < 0) {
            problems.add(Diagnostic.ofAttribute(null, "'" + port + "' is not a port; expected a number from 1 to 65535"));
        }
        Rules.oneOf(problems, "protocol", protocol, "tcp", "udp");
        if (host != null && host.isBlank()) {
            problems.add(Diagnostic.ofAttribute("host", "is empty; leave it out to look at this host"));
        }
        return problems;
    }

    /** The port as a number, or -1 when it is not one from 1 to 65535. */
    private int number() {
        if (!port.matches("\\d{1,5}")) {
            return -1;
        }
        int number = Integer.parseInt(port);
        return number >= 1 && number <= 65535 ? number : -1;
    }

    @Override
    public Verdict verify(CheckContext context, Duration timeout) throws IOException, ResourceException {
        boolean udp = "udp".equals(protocol);
        String where = (udp ? "udp" : "tcp") + " port " + port + (host == null ? "" : " on " + host);
        List<InetAddress> addresses = host == null ? List.of() : resolve();
        boolean local = addresses.stream().allMatch(Sockets::isLocal);
        Sockets sockets = context.shared(Sockets.class, Sockets::ofThisHost);
        boolean isListening;
        String evidence;
        if (local && sockets.readable()) {
            List<String> bound = new ArrayList<>();
            for (InetSocketAddress socket : sockets.listening(udp)) {
                if (socket.getPort() == number() && (addresses.isEmpty() || addresses.contains(socket.getAddress())
                        || socket.getAddress().isAnyLocalAddress())) {
                    bound.add(format(socket));
                }
            }
            isListening = !bound.isEmpty();
            evidence = isListening ? "bound: " + String.join(", ", bound.stream().distinct().toList())
                    : "no " + (udp ? "udp" : "tcp") + " socket is bound to port " + port
                    + (addresses.isEmpty() ? "" : " on " + host + " or on all addresses");
        } else if (udp) {
            throw new ResourceException(local ? "udp ports are read from /proc/net/udp, which this host does not have"
                    : "a udp port can only be checked on this host, from its socket tables; " + host + " is another host");
        } else {
            InetAddress address = addresses.isEmpty() ? InetAddress.getLoopbackAddress() : addresses.get(0);
            evidence = connect(new InetSocketAddress(address, number()), timeout);
            isListening = evidence == null;
        }
        boolean wanted = listening == null || listening;
        Verdict verdict = new Verdict();
        if (isListening != wanted) {
            verdict.mismatch("listening", wanted ? "something listening on " + where : "nothing listening on " + where,
                    isListening ? "something listening" : "nothing listening");
        }
        return verdict.evidence(evidence);
    }

    private List<InetAddress> resolve() throws ResourceException {
        try {
            return Arrays.asList(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new ResourceException("cannot resolve host '" + host + "'");
        }
    }

    /** Null when a connection was accepted; otherwise why not. */
    private static String connect(InetSocketAddress address, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return null;
        } catch (ConnectException | NoRouteToHostException e) {
            return "connecting to " + format(address) + ": " + CheckRunner.messageOf(e).toLowerCase();
        } catch (SocketTimeoutException e) {
            return "connecting to " + format(address) + ": no answer within " + Durations.format(timeout);
        }
    }

    private static String format(InetSocketAddress socket) {
        String address = socket.getAddress().getHostAddress();
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + socket.getPort();
    }
}
