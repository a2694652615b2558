package dev.plumb;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.system.Hashing;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Real .deb files built in a test, and a local apt repository serving them, registered with this machine's apt
 * for the test's duration. Package names carry a random suffix; {@link #close} purges every package built
 * here and unregisters the repository, so nothing is left on the machine.
 */
public final class DebianPackages implements AutoCloseable {

    private final Path repository;
    private final Path sourceList;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> names = new ArrayList<>();
    private final ProcessCommandRunner commands = new ProcessCommandRunner();

    /** A repository in a new directory under /tmp that apt's unprivileged _apt user can read. */
    public DebianPackages() throws IOException {
        this.repository = Files.createTempDirectory("plumbtest-repository-");
        Files.setPosixFilePermissions(repository, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.sourceList = Path.of("/etc/apt/sources.list.d/plumbtest-" + suffix + ".list");
    }

    /** The package name for {@code base} in this test run, such as plumbtest-lib-1a2b3c4d. */
    public String name(String base) {
        String name = "plumbtest-" + base + "-" + suffix;
        if (!names.contains(name)) {
            names.add(name);
        }
        return name;
    }

    /**
     * Builds {@code name(base)} at {@code version} into the repository directory; the package ships the
     * configuration file /etc/NAME.conf holding {@code version}.
     */
    public Path build(String base, String version, String depends) throws IOException {
        String name = name(base);
        Path tree = Files.createTempDirectory(repository, "tree-");
        Files.createDirectories(tree.resolve("DEBIAN"));
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/" + name + ".conf"), "version=" + version + "\n");
        Files.writeString(tree.resolve("DEBIAN/conffiles"), "/etc/" + name + ".conf\n");
        Files.writeString(tree.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
                + "\nArchitecture: all\nMaintainer: plumb tests <tests@plumb.invalid>\n"
                + (depends == null ? "" : "Depends: " + name(depends) + "\n")
                + "Description: package built by a plumb test\n");
        Path deb = repository.resolve(name + "_" + version + "_all.deb");
        run("dpkg-deb", "--root-owner-group", "--build", tree.toString(), deb.toString());
        return deb;
    }

    /** Writes the repository's index and makes apt read it (and only it: the machine's other sources stay as they are). */
    public void publish() throws IOException {
        StringBuilder index = new StringBuilder();
        try (var debs = Files.list(repository)) {
            for (Path deb : debs.filter(p -> p.toString().endsWith(".deb")).sorted().toList()) {
                Files.setPosixFilePermissions(deb, PosixFilePermissions.fromString("rw-r--r--"));
                index.append(run("dpkg-deb", "--field", deb.toString()).stdout())
                        .append("Filename: ./").append(deb.getFileName()).append('\n')
                        .append("Size: ").append(Files.size(deb)).append('\n')
                        .append("SHA256: ").append(Hashing.sha256(Files.readAllBytes(deb))).append("\n\n");
            }
        }
        Files.writeString(repository.resolve("Packages"), index);
        Files.writeString(sourceList, "deb [trusted=yes] file:" + repository + " ./\n");
        run("apt-get", "update", "-o", "Dir::Etc::sourcelist=" + sourceList, "-o", "Dir::Etc::sourceparts=-",
                "-o", "APT::Get::List-Cleanup=0");
    }

    /** dpkg's status and version of a package, as "ii 1.0", or "" when dpkg does not know it. */
    public String state(String base) throws IOException {
        return commands.run(new Command(List.of("dpkg-query", "--show", "--showformat=${db:Status-Abbrev}${Version}",
                name(base)), null, Map.of(), Duration.ofMinutes(1))).stdout().strip().replaceAll("\\s+", " ");
    }

    public CommandResult run(String... argv) throws IOException {
        CommandResult result = commands.run(new Command(List.of(argv), null, Map.of("DEBIAN_FRONTEND", "noninteractive"),
                Duration.ofMinutes(5)));
        if (!result.succeeded()) {
            throw new IOException(String.join(" ", argv) + " failed: " + result.stdout() + result.stderr());
        }
        return result;
    }

    @Override
    public void close() throws IOException {
        List<String> purge = new ArrayList<>(List.of("dpkg", "--purge", "--force-depends"));
        purge.addAll(names);
        commands.run(new Command(purge, null, Map.of(), Duration.ofMinutes(5)));
        Files.deleteIfExists(sourceList);
        try (var lists = Files.list(Path.of("/var/lib/apt/lists"))) {
            String listPrefix = repository.toString().replace('/', '_');
            for (Path list : lists.filter(p -> p.getFileName().toString().startsWith(listPrefix)).toList()) {
                Files.delete(list);
            }
        }
        try (var tree = Files.walk(repository)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
