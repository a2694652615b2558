package dev.plumb.checks;

import dev.plumb.api.Attribute;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Verdict;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code dns: NAME} — whether a host name resolves, and to which addresses, as this host's resolver answers
 * (including {@code /etc/hosts}).
 */
public record DnsCheck(
        @Attribute(doc = "the host name") String host,
        @Attribute(doc = "whether it must resolve (default) or must not", defaultValue = "true") Boolean resolves,
        @Attribute(doc = "IP addresses that must all be among the answers") List<String> addresses) implements Check {

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        if (!host.matches("[A-Za-z0-9_]([A-Za-z0-9_.-]{0,252})")) {
            problems.add(Diagnostic.ofAttribute(null, "'" + host + "' is not a host name; expected one such as "
                    + "db.example.com"));
        }
        if (addresses != null) {
            for (String address : addresses) {
                if (literal(address) == null) {
                    problems.add(Diagnostic.ofAttribute("addresses", "'" + address + "' is not an IP address; expected "
                            + "one such as 192.0.2.10 or 2001:db8::10"));
                }
            }
            if (Boolean.FALSE.equals(resolves)) {
                problems.add(Diagnostic.ofAttribute("addresses", "a name that must not resolve has no addresses to "
                        + "check; leave them out"));
            }
        }
        return problems;
    }

    /** The address an IP literal stands for, or null when the text is not one (and no lookup is made). */
    static InetAddress literal(String text) {
        boolean v4 = text.matches("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
        boolean v6 = text.contains(":") && text.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public Verdict verify(CheckContext context, Duration timeout) {
        List<InetAddress> found;
        try {
            found = Arrays.asList(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            found = List.of();
        }
        List<String> shown = found.stream().map(InetAddress::getHostAddress).distinct().toList();
        String got = found.isEmpty() ? "no answer" : String.join(", ", shown);
        Verdict verdict = new Verdict();
        boolean wanted = resolves == null || resolves;
        if (wanted == found.isEmpty()) {
            verdict.mismatch("resolves", wanted ? host + " resolving" : host + " not resolving", got);
        }
        if (addresses != null && !found.isEmpty()) {
            List<String> missing = new ArrayList<>();
            for (String address : addresses) {
                if (!found.contains(literal(address))) {
                    missing.add(address);
                }
            }
            if (!missing.isEmpty()) {
                verdict.mismatch("addresses", String.join(", ", addresses), got);
            }
        }
        return verdict;
    }
}
