package dev.plumb.catalog;

import java.util.List;

/** Everything one host must be. Identical input compiles to a byte-identical catalog. */
public record Catalog(int version, HostInfo host, List<CatalogResource> resources) {

    /** The catalog format this agent reads and writes. */
    public static final int VERSION = 1;

    public Catalog {
        resources = List.copyOf(resources);
    }
}
