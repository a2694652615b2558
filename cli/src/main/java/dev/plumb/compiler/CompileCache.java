package dev.plumb.compiler;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.ProjectSource;
import dev.plumb.engine.Engine;
import dev.plumb.engine.InvalidCatalogException;
import dev.plumb.facts.FactRequest;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.Hashing;
import dev.plumb.system.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;

/**
 * The catalogs a run compiled, kept in the state directory so that the next run of the same project, with the same
 * variables and hosts, whose files and facts have not changed since, need not load, render and compile it all
 * again: the common run, a no-op apply, then costs a walk of the project's file names and one JSON read.
 *
 * <p>Only runs whose hosts are all this machine are kept: a remote host's facts come over the network, and its
 * compile is the least of that run's time. An entry is kept only when the project's files had settled before the
 * run (see {@link ProjectFingerprint#settled()}), and it names the build of plumb that made it, so a new plumb never
 * reads an old plumb's catalogs. It holds what the catalogs hold, secrets among them, as the state directory's
 * backups do: the directory is 0700 and each entry 0600, written whole or not at all. Anything unreadable or
 * unexpected in it is a miss, never an error.
 */
public final class CompileCache {

    private static final int VERSION = 1;
    /** Entries kept: one per project, variables and host selection; the oldest go first. */
    private static final int MAX_ENTRIES = 16;
    private static final long MAX_ENTRY_BYTES = 128L << 20;
    private static final String SUFFIX = ".catalogs.json";

    private final Path directory;
    private final Path file;
    private final ProjectFingerprint fingerprint;
    private Entry entry;
    /** Whether this run runs the kept catalogs, which then need not be kept again. */
    private boolean hit;

    /**
     * One cached run: the hosts the project selected, the facts it asks of them and, for each host, the facts its
     * catalog was compiled from and the catalog.
     */
    record Entry(int version, String fingerprint, Selection selection, Map<String, HostCatalog> catalogs) {
    }

    /** What a project decides before any host is reached: which hosts run, and which facts they are asked for. */
    public record Selection(List<Project.Host> hosts, FactRequest facts) {
    }

    record HostCatalog(String factsSha256, Catalog catalog, SourceMap sources) {
    }

    private CompileCache(Path directory, Path file, ProjectFingerprint fingerprint) {
        this.directory = directory;
        this.file = file;
        this.fingerprint = fingerprint;
    }

    /**
     * The cache of {@code project} in {@code stateDirectory}, for a run with these variables and host patterns;
     * reads nothing yet but the project's file names.
     */
    public static CompileCache of(Path stateDirectory, Path project, Map<String, Object> commandLineVars, String hostPatterns) {
        Path directory = stateDirectory.resolve("cache");
        String selection = Json.MAPPER.writeValueAsString(new TreeMap<>(commandLineVars)) + "\0" + hostPatterns;
        Path absolute = realPath(project);
        String name = Hashing.sha256((absolute + "\0" + selection).getBytes(StandardCharsets.UTF_8)).substring(0, 32) + SUFFIX;
        ProjectFingerprint fingerprint = PlumbBuild.identity()
                .flatMap(build -> ProjectFingerprint.of(absolute, build + "\0" + absolute + "\0" + selection))
                .orElse(null);
        return new CompileCache(directory, directory.resolve(name), fingerprint);
    }

    /** {@code project} with every link resolved; when it does not exist, as given (its compile then says so). */
    private static Path realPath(Path project) {
        try {
            return project.toRealPath();
        } catch (IOException e) {
            return project.toAbsolutePath().normalize();
        }
    }

    /** The hosts the previous run selected and the facts it asked, when nothing that decides them changed since. */
    public Optional<Selection> selection() {
        return Optional.ofNullable(entry()).map(Entry::selection);
    }

    /**
     * The catalogs of the previous run, when each host's facts are those its catalog was compiled from; empty when
     * any host's differ, or a catalog no longer prepares (then the project is compiled as usual).
     */
    public Optional<Map<String, CompiledCatalog>> catalogs(Map<String, Map<String, Object>> factsByHost) {
        Entry cached = entry();
        if (cached == null || !cached.catalogs().keySet().equals(factsByHost.keySet())) {
            return Optional.empty();
        }
        ProjectSource source = fingerprint.gitOutside() ? GitCheckout.of(fingerprint.projectDirectory()) : null;
        Map<String, CompiledCatalog> catalogs = new LinkedHashMap<>();
        for (var host : cached.catalogs().entrySet()) {
            HostCatalog kept = host.getValue();
            if (!kept.factsSha256().equals(factsSha256(factsByHost.get(host.getKey())))) {
                return Optional.empty();
            }
            Catalog catalog = fingerprint.gitOutside() ? kept.catalog().from(source) : kept.catalog();
            try {
                catalogs.put(host.getKey(), new CompiledCatalog(catalog, kept.sources(), Engine.prepare(catalog, BuiltInTypes.REGISTRY)));
            } catch (InvalidCatalogException e) {
                return Optional.empty();
            }
        }
        hit = true;
        return Optional.of(catalogs);
    }

    /**
     * Keeps this run's catalogs for the next, when every host is this machine and the project's files had settled;
     * a failure to keep them only costs the next run a compile.
     */
    public void store(Selection selection, Map<String, Map<String, Object>> factsByHost, Map<String, CompiledCatalog> catalogs) {
        if (fingerprint == null || !fingerprint.settled() || selection.hosts().isEmpty()
                || !selection.hosts().stream().allMatch(Project.Host::local)
                || !catalogs.keySet().equals(factsByHost.keySet()) || hit) {
            return;
        }
        Map<String, HostCatalog> kept = new LinkedHashMap<>();
        catalogs.forEach((host, compiled) -> kept.put(host,
                new HostCatalog(factsSha256(factsByHost.get(host)), compiled.catalog(), compiled.sources())));
        try {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            AtomicFiles.writeWhole(file, Json.MAPPER.writeValueAsBytes(new Entry(VERSION, fingerprint.sha256(), selection, kept)),
                    new FileAttributes("0600", null, null));
            evictOldest();
        } catch (IOException | RuntimeException e) {
            // Not kept: the next run compiles, as it would without a cache.
        }
    }

    /** The entry for this fingerprint, read once; null when there is none, or it is unreadable or of another state. */
    private Entry entry() {
        if (entry == null && fingerprint != null) {
            entry = read();
        }
        return entry;
    }

    private Entry read() {
        if (!PrivateFiles.ownedByUsAlone(directory.getParent()) || !PrivateFiles.ownedByUsAlone(directory)
                || !PrivateFiles.ownedByUsAlone(file)) {
            return null;
        }
        try (var channel = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             InputStream in = Channels.newInputStream(channel)) {
            if (channel.size() > MAX_ENTRY_BYTES) {
                return null;
            }
            Entry read = Json.MAPPER.readValue(in, Entry.class);
            return read.version() == VERSION && fingerprint.sha256().equals(read.fingerprint()) ? read : null;
        } catch (IOException | JacksonException e) {
            return null;
        }
    }

    private void evictOldest() throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            listing.forEach(entries::add);
        }
        if (entries.size() <= MAX_ENTRIES) {
            return;
        }
        entries.sort(Comparator.comparing(CompileCache::modified));
        for (Path old : entries.subList(0, entries.size() - MAX_ENTRIES)) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).lastModifiedTime();
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static String factsSha256(Map<String, Object> facts) {
        return Hashing.sha256(Json.MAPPER.writeValueAsBytes(facts));
    }

}
