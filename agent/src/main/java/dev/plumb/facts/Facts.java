package dev.plumb.facts;

import dev.plumb.api.CommandRunner;
import dev.plumb.system.FileErrors;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Gathers the facts of the host this runs on, from {@code /etc/os-release}, {@code /proc} and the network
 * interfaces. Templates see them as {@code facts.os.id}, {@code facts.cpus} and so on; a catalog is compiled from
 * {@link #ofThisHost(FactRequest)}, which adds what the project asks for, the host's virtualisation and
 * {@code /etc/plumb/facts.d}.
 */
public final class Facts {

    /**
     * The names of the facts plumb itself gives: a project's own facts may not take one. {@code fact_errors} holds why
     * a project's fact failed (by its name), {@code warnings} what {@code facts.d} skipped and why.
     */
    public static final Set<String> BUILT_IN = Set.of("hostname", "fqdn", "os", "kernel", "architecture", "cpus",
            "memory_mb", "ip_addresses", "root", "init_system", "virtualization", "packages", "custom", "fact_errors",
            "warnings");

    private final Path root;

    /** Facts read below {@code root}; {@code /} on a real host, a prepared tree in tests. Commands run for real. */
    public Facts(Path root) {
        this.root = root;
    }

    /** The facts the agent chooses its providers by: the cheap ones, without a project's or facts.d's. */
    public static Map<String, Object> ofThisHost() {
        return new Facts(Path.of("/")).gather();
    }

    /**
     * Everything a catalog of this host is compiled from: the facts of {@link #ofThisHost()}, {@code virtualization},
     * {@code custom} (from {@code /etc/plumb/facts.d}), {@code packages} when {@code request} asks for them, and the
     * project's command facts, each under its name, or its failure under {@code fact_errors}.
     */
    public static Map<String, Object> ofThisHost(FactRequest request) {
        return new Facts(Path.of("/")).gather(request);
    }

    public Map<String, Object> gather(FactRequest request) {
        Map<String, Object> facts = gather();
        facts.put("virtualization", new Virtualization(root).detect());
        List<String> warnings = new ArrayList<>();
        facts.put("custom", custom(warnings));
        if (request.packages()) {
            packages(warnings).ifPresent(packages -> facts.put("packages", packages));
        }
        if (!warnings.isEmpty()) {
            facts.put("warnings", warnings);
        }
        Map<String, String> errors = runCommands(request.commands(), facts);
        if (!errors.isEmpty()) {
            facts.put("fact_errors", errors);
        }
        return facts;
    }

    /** The facts of {@code /etc/plumb/facts.d}; what it skipped goes to {@code warnings}. */
    private Map<String, Object> custom(List<String> warnings) {
        // Looked for before FactsDirectory is loaded: most hosts have none, and loading it costs milliseconds.
        if (!Files.exists(root.resolve(FactsDirectory.PATH), LinkOption.NOFOLLOW_LINKS)) {
            return Map.of();
        }
        FactsDirectory.Found custom = new FactsDirectory(root).read();
        warnings.addAll(custom.warnings());
        return custom.facts();
    }

    /** dpkg's installed packages; none on a host without dpkg; an unreadable database goes to {@code warnings}. */
    private Optional<Map<String, Map<String, String>>> packages(List<String> warnings) {
        try {
            return InstalledPackages.read(root.resolve(InstalledPackages.STATUS), dpkgArchitecture());
        } catch (IOException e) {
            warnings.add("/" + InstalledPackages.STATUS + " cannot be read: " + FileErrors.describe(e));
            return Optional.empty();
        }
    }

    /** Runs the project's command facts into {@code facts}; returns why those that failed did, by name. */
    private static Map<String, String> runCommands(List<CommandFact> commands, Map<String, Object> facts) {
        Map<String, String> errors = new TreeMap<>();
        // Made only for a project with facts of its own: a runner costs threads and classes a run need not start.
        CommandRunner runner = commands.isEmpty() ? null : new ProcessCommandRunner();
        for (CommandFact fact : commands) {
            if (BUILT_IN.contains(fact.name())) {
                errors.put(fact.name(), "'" + fact.name() + "' is one of plumb's own facts; name the project's fact "
                        + "otherwise");
                continue;
            }
            try {
                facts.put(fact.name(), fact.valueOn(runner));
            } catch (CommandFact.FailedException e) {
                errors.put(fact.name(), e.getMessage());
            }
        }
        return errors;
    }

    /** The host's own architecture as dpkg names it. */
    private static String dpkgArchitecture() {
        return switch (System.getProperty("os.arch")) {
            case "aarch64" -> "arm64";
            case "x86" -> "i386";
            default -> System.getProperty("os.arch");
        };
    }

    public Map<String, Object> gather() {
        Map<String, Object> facts = new TreeMap<>();
        String hostname = firstLine("proc/sys/kernel/hostname", "localhost");
        facts.put("hostname", hostname);
        facts.put("fqdn", fqdn(hostname));
        facts.put("os", os());
        facts.put("kernel", firstLine("proc/sys/kernel/osrelease", System.getProperty("os.version")));
        facts.put("architecture", architecture());
        facts.put("cpus", Runtime.getRuntime().availableProcessors());
        facts.put("memory_mb", memoryMegabytes());
        facts.put("ip_addresses", ipAddresses());
        facts.put("root", isRoot());
        facts.put("init_system", initSystem());
        return facts;
    }

    /** {@code ID}, {@code VERSION_ID}, ... of os-release, as {@code id}, {@code version_id}, plus {@code family}. */
    private Map<String, Object> os() {
        Map<String, Object> os = new TreeMap<>();
        for (String line : lines("etc/os-release")) {
            int equals = line.indexOf('=');
            if (equals > 0 && !line.startsWith("#")) {
                String value = line.substring(equals + 1).trim();
                if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                os.put(line.substring(0, equals).trim().toLowerCase(), value);
            }
        }
        Object like = os.getOrDefault("id_like", os.getOrDefault("id", "unknown"));
        os.put("family", like.toString().split(" ")[0]);
        return os;
    }

    private static String fqdn(String hostname) {
        try {
            String canonical = InetAddress.getLocalHost().getCanonicalHostName();
            return canonical.startsWith(hostname) ? canonical : hostname;
        } catch (UnknownHostException e) {
            return hostname;
        }
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> arch;
        };
    }

    private long memoryMegabytes() {
        for (String line : lines("proc/meminfo")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return 0;
    }

    private static List<String> ipAddresses() {
        List<String> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    nic.inetAddresses().forEach(address -> addresses.add(address.getHostAddress().replaceAll("%.*", "")));
                }
            }
        } catch (SocketException e) {
            // A host without readable interfaces simply has no addresses to report.
        }
        Collections.sort(addresses);
        return addresses;
    }

    /** systemd when it is PID 1 (it creates /run/systemd/system at boot, as sd_booted checks); sysv otherwise. */
    private String initSystem() {
        return Files.isDirectory(root.resolve("run/systemd/system")) ? "systemd" : "sysv";
    }

    private boolean isRoot() {
        for (String line : lines("proc/self/status")) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[1].equals("0");
            }
        }
        return "root".equals(System.getProperty("user.name"));
    }

    private String firstLine(String file, String fallback) {
        List<String> lines = lines(file);
        return lines.isEmpty() ? fallback : lines.get(0).trim();
    }

    private List<String> lines(String file) {
        try {
            return Files.readAllLines(root.resolve(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
