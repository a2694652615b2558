package dev.plumb;

import dev.plumb.api.Services;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.HostInfo;
import dev.plumb.api.Context;
import dev.plumb.api.Refreshable;
import dev.plumb.api.Resource;
import dev.plumb.facts.Facts;
import dev.plumb.providers.Providers;
import dev.plumb.resources.ResourceTypes;
import dev.plumb.system.BackupStore;
import dev.plumb.api.CommandRunner;
import dev.plumb.system.Hashing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Builders for catalogs, resources and contexts, shared by the agent's tests. */
public final class Fixtures {

    /** This machine's facts, gathered once for all tests. */
    public static final Map<String, Object> FACTS = Facts.ofThisHost();

    private Fixtures() {
    }

    public static Catalog catalog(CatalogResource... resources) {
        return new Catalog(Catalog.VERSION, new HostInfo("local", "dev", List.of()), List.of(resources));
    }

    public static CatalogResource resource(String type, String name, Map<String, Object> attributes) {
        return new CatalogResource(type, name, List.of(), List.of(), attributes);
    }

    public static CatalogResource resource(String type, String name, List<String> requires, List<String> notify,
                                           Map<String, Object> attributes) {
        return new CatalogResource(type, name, requires, notify, attributes);
    }

    /** Notifications from these resources, as messages name them, that ask for no action of their own. */
    public static List<Refreshable.Notice> notices(String... from) {
        return Stream.of(from).map(name -> new Refreshable.Notice(name, null)).toList();
    }

    /** The attributes of a file with this text content: the content and its hash, as the compiler writes them. */
    public static Map<String, Object> content(String content) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("content", content);
        attributes.put("sha256", Hashing.sha256(content.getBytes(StandardCharsets.UTF_8)));
        return attributes;
    }

    /** {@code base} plus the given key/value pairs. */
    public static Map<String, Object> with(Map<String, Object> base, Object... keysAndValues) {
        Map<String, Object> attributes = new LinkedHashMap<>(base);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            attributes.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return attributes;
    }

    /** A typed resource, instantiated the way the engine does it from a catalog entry. */
    @SuppressWarnings("unchecked")
    public static <R extends Resource> R instantiate(String type, String name, Map<String, Object> attributes) {
        return (R) ResourceTypes.instantiate(resource(type, name, attributes));
    }

    public static Context context(CommandRunner commands, Path backups, Set<Path> managedPaths) {
        return new Context(commands, new BackupStore(backups), Services.of(new Providers(commands, FACTS)),
                managedPaths);
    }

    public static Context context(CommandRunner commands, Path backups) {
        return context(commands, backups, Set.of());
    }
}
