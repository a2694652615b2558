package dev.plumb.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything one host must be, and the checks that prove it behaves. Identical input compiles to a
 * byte-identical catalog; a catalog without checks reads and writes as it did before checks existed.
 */
public record Catalog(int version, HostInfo host, List<CatalogResource> resources,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CatalogCheck> checks) {

    /** The catalog format this agent reads and writes. */
    public static final int VERSION = 1;

    public Catalog {
        CatalogFormatException.required(host, "host", "an object with the host's name, env and groups");
        resources = CatalogFormatException.listOf(resources, "resources", "a list of resources");
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** A catalog without checks. */
    public Catalog(int version, HostInfo host, List<CatalogResource> resources) {
        this(version, host, resources, List.of());
    }
}
