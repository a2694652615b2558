package dev.plumb.compiler;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.Json;
import dev.plumb.catalog.ProjectSource;
import dev.plumb.engine.Engine;
import dev.plumb.engine.InvalidCatalogException;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.Hashing;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.core.JacksonException;

/**
 * The catalogs that earlier runs compiled, kept so that a run of a project that has not changed since does not compile
 * it again (expand its roles, render its templates). A catalog is reused only when everything it was compiled from is
 * the same: the bytes of every file of the project (its {@code .git} aside), the host, the command-line variables,
 * the host's facts and this build of plumb; the project's git commit is read anew each run.
 *
 * <p>Catalogs hold secrets, so the entries are kept as the state directory keeps everything: in
 * {@code STATE/catalogs/}, a directory only its owner can enter, each entry a 0600 file written whole or not at all.
 * An entry that anyone but its owner could have written is never read. The cache is only ever a shortcut: an entry
 * that cannot be read or written means the project is compiled, as without a cache.
 */
public final class CatalogCache {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private final String build;

    /** The cache in {@code stateDirectory}, for this build of plumb. */
    public CatalogCache(Path stateDirectory) {
        this(stateDirectory, thisBuild());
    }

    /** The cache in {@code stateDirectory} for the build {@code build}: tests stand for another build of plumb. */
    CatalogCache(Path stateDirectory, String build) {
        this.directory = stateDirectory.resolve("catalogs");
        this.build = build;
    }

    /** One kept catalog and what it was compiled from, as {@link #key} sums it up. */
    private record Entry(String key, Catalog catalog, SourceMap sources) {
    }

    /**
     * As {@link Compiler#compileAll}: the catalogs of {@code hostNames}, in that order, each from its own facts; those
     * whose inputs have not changed since they were kept come from the cache, the others are compiled and kept.
     */
    public Map<String, CompiledCatalog> compileAll(Compiler compiler, List<String> hostNames,
                                                   Map<String, Object> commandLineVars,
                                                   Function<String, Map<String, Object>> factsOf) throws CompileException {
        Path project = compiler.project().directory();
        String projectDigest = digest(project);
        if (projectDigest == null) {
            return compiler.compileAll(hostNames, commandLineVars, factsOf);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, Entry> found = new LinkedHashMap<>();
        for (String host : hostNames) {
            keys.put(host, key(projectDigest, host, commandLineVars, factsOf.apply(host)));
            Entry entry = read(entryFile(project, host));
            if (entry != null && entry.key().equals(keys.get(host))) {
                found.put(host, entry);
            }
        }
        Map<String, CompiledCatalog> kept = prepare(found, project);
        List<String> toCompile = hostNames.stream().filter(host -> !kept.containsKey(host)).toList();
        Map<String, CompiledCatalog> compiled = toCompile.isEmpty() ? Map.of()
                : compiler.compileAll(toCompile, commandLineVars, factsOf);
        compiled.forEach((host, catalog) -> write(entryFile(project, host), keys.get(host), catalog));
        Map<String, CompiledCatalog> catalogs = new LinkedHashMap<>();
        hostNames.forEach(host -> catalogs.put(host, kept.containsKey(host) ? kept.get(host) : compiled.get(host)));
        return catalogs;
    }

    /**
     * The kept catalogs, each with the project's git commit as it is now (a commit changes no file, so it is no part
     * of the key), prepared to run; one that no longer prepares is left out, to be compiled.
     */
    private static Map<String, CompiledCatalog> prepare(Map<String, Entry> found, Path project) {
        Map<String, CompiledCatalog> kept = new LinkedHashMap<>();
        if (found.isEmpty()) {
            return kept;
        }
        ProjectSource source = GitCheckout.of(project);
        found.forEach((host, entry) -> {
            Catalog catalog = entry.catalog();
            Catalog current = new Catalog(catalog.version(), catalog.host(), catalog.resources(), catalog.checks(), source);
            try {
                kept.put(host, new CompiledCatalog(current, entry.sources(), Engine.prepare(current, BuiltInTypes.REGISTRY)));
            } catch (InvalidCatalogException e) {
                // Compiled again, which reports the problem where it is in the project.
            }
        });
        return kept;
    }

    /** What one host's catalog is compiled from, summed up: any change to any of it gives another key. */
    private String key(String projectDigest, String host, Map<String, Object> commandLineVars, Map<String, Object> facts) {
        Map<String, Object> inputs = new TreeMap<>();
        inputs.put("build", build);
        inputs.put("catalogVersion", Catalog.VERSION);
        inputs.put("project", projectDigest);
        inputs.put("host", host);
        inputs.put("vars", commandLineVars);
        inputs.put("facts", facts);
        // The mapper sorts map entries by key, so that equal inputs always give equal bytes.
        return Hashing.sha256(Json.MAPPER.writeValueAsBytes(inputs));
    }

    /**
     * The digest of every file of the project but its {@code .git}: names and contents, links followed as the
     * compiler follows them; null when the project cannot be read whole (a link loop), and then nothing is cached.
     */
    static String digest(Path project) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(project, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                    return directory.equals(project.resolve(".git")) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    files.add(file);
                    return FileVisitResult.CONTINUE;
                }
            });
            files.sort(null);
            StringBuilder summary = new StringBuilder();
            for (Path file : files) {
                summary.append(project.relativize(file)).append('\0');
                // A FIFO or device is never read (the compiler refuses them): its name is enough.
                if (Files.isRegularFile(file)) {
                    summary.append(Hashing.sha256(Files.readAllBytes(file)));
                }
                summary.append('\n');
            }
            return Hashing.sha256(summary.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    /** The entry of {@code host} of the project at {@code project}: one per project and host, replaced as they change. */
    private Path entryFile(Path project, String host) {
        String name = project.toAbsolutePath().normalize() + "\0" + host;
        return directory.resolve(Hashing.sha256(name.getBytes(StandardCharsets.UTF_8)) + ".json");
    }

    /**
     * The entry kept in {@code file}; null when there is none, or it is not private to this user, or it does not read
     * (another build wrote it).
     */
    private Entry read(Path file) {
        try {
            if (!ownedAndPrivate(directory) || !ownedAndPrivate(file)) {
                return null;
            }
            return Json.MAPPER.readValue(Files.readAllBytes(file), Entry.class);
        } catch (IOException | JacksonException e) {
            return null;
        }
    }

    /** Whether {@code path} is this user's, not a link, and no one else may read or write it. */
    private static boolean ownedAndPrivate(Path path) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        Set<PosixFilePermission> permissions = attributes.permissions();
        return !attributes.isSymbolicLink() && owner == self && permissions.stream().allMatch(p -> p.name().startsWith("OWNER"));
    }

    /** Keeps {@code catalog} in {@code file}, 0600, whole or not at all; a cache that cannot be written is no cache. */
    private void write(Path file, String key, CompiledCatalog catalog) {
        try {
            if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            AtomicFiles.writeWhole(file, Json.MAPPER.writeValueAsBytes(new Entry(key, catalog.catalog(), catalog.sources())),
                    new FileAttributes("0600", null, null));
        } catch (IOException | JacksonException e) {
            // The run goes on without a cache entry: the next run compiles again.
        }
    }

    /**
     * This build of plumb: the jar (or class directory) it runs from, with its size and time, as {@code bin/plumb}
     * names its start-up archive. A rebuilt plumb may compile differently, so it never reads another build's entries.
     */
    private static String thisBuild() {
        try {
            Path code = Path.of(CatalogCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code + " " + Files.size(code) + " " + Files.getLastModifiedTime(code).toMillis();
        } catch (IOException | URISyntaxException e) {
            // Without a way to tell builds apart, a run cannot know an entry is its own: it never finds one.
            return "unknown build " + System.nanoTime();
        }
    }
}
