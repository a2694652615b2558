package dev.plumb.providers;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.FailureKind;
import dev.plumb.api.ResourceException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian packages: state from {@code dpkg-query}, one call for all packages of a run; changes through
 * {@code apt-get}, which resolves dependencies, including those of local .deb files, in one transaction.
 */
public final class AptProvider {

    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(30);
    private static final Map<String, String> NONINTERACTIVE = Map.of("DEBIAN_FRONTEND", "noninteractive");
    private static final Set<String> PROGRESS = Set.of("Reading package lists...", "Building dependency tree...",
            "Reading state information...");
    private static final Pattern VERSION_LINE = Pattern.compile("^ (?:\\*\\*\\*| {3}) (\\S+) -?\\d+$");
    private static final Pattern LOCK_HOLDER = Pattern.compile("Could not get lock (\\S+?)\\.? It is held by process (\\d+)(?: \\(([^)]*)\\))?");

    private final CommandRunner commands;
    private final Duration lockTimeout;

    public AptProvider(CommandRunner commands, Duration lockTimeout) {
        this.commands = commands;
        this.lockTimeout = lockTimeout;
    }

    /** Fits Debian and its derivatives, which name Debian or Ubuntu as themselves or as what they are like. */
    public boolean suitable(Map<String, Object> facts) {
        if (!(facts.get("os") instanceof Map<?, ?> os)) {
            return false;
        }
        String lineage = os.get("id") + " " + os.get("id_like");
        return List.of(lineage.split(" ")).stream().anyMatch(id -> id.equals("debian") || id.equals("ubuntu"));
    }

    /** What dpkg knows of a package: its two-letter status (ii installed, rc config files left, ...) and version. */
    public record Installed(String name, String status, String version) {

        public boolean isInstalled() {
            return status.startsWith("ii");
        }

        /** Whether anything of the package is on disk, if only its configuration files. */
        public boolean leavesTraces() {
            return !status.startsWith("un") && !status.startsWith("pn");
        }
    }

    /** The dpkg state of each named package, by name; a package dpkg has never seen is missing from the map. */
    public Map<String, Installed> query(Collection<String> names) throws IOException {
        List<String> argv = new ArrayList<>(List.of("dpkg-query", "--show", "--showformat=${Package}\\t${db:Status-Abbrev}\\t${Version}\\n"));
        argv.addAll(names);
        // Exit code 1 only says some names are unknown; the known ones are still printed.
        CommandResult result = run(argv, QUERY_TIMEOUT);
        if (result.exitCode() > 1) {
            throw new IOException("dpkg-query failed with exit code " + result.exitCode() + ": " + result.evidence());
        }
        return parseQuery(result.stdout());
    }

    static Map<String, Installed> parseQuery(String output) {
        Map<String, Installed> installed = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] fields = line.split("\t", -1);
            if (fields.length == 3 && !fields[0].isEmpty()) {
                Installed entry = new Installed(fields[0], fields[1].strip(), fields[2]);
                // A package known on two architectures prints twice: the installed one wins.
                installed.merge(entry.name(), entry, (a, b) -> a.isInstalled() ? a : b);
            }
        }
        return installed;
    }

    /** What apt offers of a package: the version it would install (null: none) and every version it knows. */
    public record Policy(String candidate, List<String> versions) {
    }

    /** What apt offers of each name; names no configured source knows are missing. */
    public Map<String, Policy> policies(Collection<String> names) throws IOException {
        List<String> argv = new ArrayList<>(List.of("apt-cache", "policy"));
        argv.addAll(names);
        CommandResult result = run(argv, QUERY_TIMEOUT);
        if (!result.succeeded()) {
            throw new IOException("apt-cache policy failed with exit code " + result.exitCode() + ": " + result.evidence());
        }
        return parsePolicy(result.stdout());
    }

    static Map<String, Policy> parsePolicy(String output) {
        Map<String, Policy> policies = new HashMap<>();
        String current = null;
        String candidate = null;
        List<String> versions = new ArrayList<>();
        for (String line : (output + "\nend:").split("\n")) {
            if (!line.startsWith(" ") && line.endsWith(":")) {
                if (current != null) {
                    policies.putIfAbsent(current, new Policy(candidate, List.copyOf(versions)));
                }
                String qualified = line.substring(0, line.length() - 1);
                int colon = qualified.indexOf(':');
                current = colon < 0 ? qualified : qualified.substring(0, colon);
                candidate = null;
                versions.clear();
                continue;
            }
            Matcher version = VERSION_LINE.matcher(line);
            if (line.strip().startsWith("Candidate:")) {
                String value = line.strip().substring("Candidate:".length()).strip();
                candidate = value.equals("(none)") ? null : value;
            } else if (version.matches()) {
                versions.add(version.group(1));
            }
        }
        return policies;
    }

    /** The package name and version inside a .deb file. */
    public record Deb(String name, String version) {
    }

    public Deb inspect(Path deb) throws IOException, ResourceException {
        CommandResult result = run(List.of("dpkg-deb", "--show", "--showformat=${Package}\\t${Version}", deb.toString()),
                QUERY_TIMEOUT);
        String[] fields = result.stdout().strip().split("\t");
        if (!result.succeeded() || fields.length != 2) {
            throw new ResourceException("is not a valid .deb package: " + result.evidence());
        }
        return new Deb(fields[0], fields[1]);
    }

    /**
     * Runs one apt transaction: {@code install} (each item a name, {@code name=version}, or the path of a .deb
     * file), {@code remove} or {@code purge}. Downgrades are allowed, since an exact version may be older than
     * the installed one; configuration files changed by hand are kept. Waits for the dpkg lock up to the
     * lock timeout.
     */
    public void transaction(String verb, List<String> items) throws IOException, ResourceException {
        List<String> argv = new ArrayList<>(List.of("apt-get", "--quiet", "--yes", "--allow-downgrades",
                "-o", "DPkg::Lock::Timeout=" + lockTimeout.toSeconds(),
                "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold", verb));
        argv.addAll(items);
        CommandResult result = commands.run(new Command(argv, null, NONINTERACTIVE, TRANSACTION_TIMEOUT.plus(lockTimeout)));
        if (!result.succeeded()) {
            throw failure(verb, result, lockTimeout);
        }
    }

    /**
     * Names the process holding the dpkg lock when that is why apt gave up (apt names it on standard output,
     * while it waits), a failure of kind {@link FailureKind#LOCKED}; otherwise apt's last lines.
     */
    static ResourceException failure(String verb, CommandResult result, Duration lockTimeout) {
        String output = result.stdout() + "\n" + result.stderr();
        if (output.contains("Could not get lock") || output.contains("Unable to acquire the dpkg")) {
            Matcher holder = LOCK_HOLDER.matcher(output);
            String who = holder.find()
                    ? holder.group(1) + " is held by process " + holder.group(2) + (holder.group(3) != null ? " (" + holder.group(3) + ")" : "")
                    : "is held by another process";
            return new ResourceException(FailureKind.LOCKED, "the dpkg lock " + who + "; waited " + lockTimeout.toSeconds()
                    + " s for it. Let that process finish, then run plumb again");
        }
        return new ResourceException(FailureKind.COMMAND_FAILED, "apt-get " + verb + " failed with exit code "
                + result.exitCode() + ":\n" + evidence(output));
    }

    /**
     * apt's last ten lines that say something: it explains a failure on standard output (unmet dependencies,
     * a failing maintainer script) and only sums it up on standard error.
     */
    private static String evidence(String output) {
        List<String> lines = output.lines()
                .filter(line -> !line.isBlank() && !PROGRESS.contains(line.strip())).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }

    private CommandResult run(List<String> argv, Duration timeout) throws IOException {
        return commands.run(new Command(argv, null, NONINTERACTIVE, timeout));
    }
}
