package dev.plumb.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything one host must be, and the checks that prove it behaves. Identical input compiles to a
 * byte-identical catalog; a catalog without checks reads and writes as it did before checks existed, and one
 * compiled from a project that is not a git checkout has no {@code source}.
 */
public record Catalog(int version, HostInfo host, List<CatalogResource> resources,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CatalogCheck> checks,
                      @JsonInclude(JsonInclude.Include.NON_NULL) ProjectSource source) {

    /** The catalog format this agent writes; version 2 added {@code source}. */
    public static final int VERSION = 2;

    /** The oldest catalog format this agent still reads. */
    public static final int OLDEST_READABLE = 1;

    public Catalog {
        CatalogFormatException.required(host, "host", "an object with the host's name, env and groups");
        resources = CatalogFormatException.listOf(resources, "resources", "a list of resources");
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** A catalog without checks. */
    public Catalog(int version, HostInfo host, List<CatalogResource> resources) {
        this(version, host, resources, List.of());
    }

    /** A catalog of a project that is not a git checkout. */
    public Catalog(int version, HostInfo host, List<CatalogResource> resources, List<CatalogCheck> checks) {
        this(version, host, resources, checks, null);
    }

    /** Whether this agent reads catalogs of {@code version}. */
    public static boolean readable(int version) {
        return version >= OLDEST_READABLE && version <= VERSION;
    }

    /** This catalog, compiled from {@code source}. */
    public Catalog from(ProjectSource source) {
        return new Catalog(version, host, resources, checks, source);
    }
}
