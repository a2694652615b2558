package dev.plumb.catalog;

import java.util.List;

/** Who a catalog is for: the host's inventory name, environment and groups. */
public record HostInfo(String name, String env, List<String> groups) {
    public HostInfo {
        CatalogFormatException.required(name, "name", "the host's name");
        groups = CatalogFormatException.listOf(groups, "groups", "a list of group names");
    }
}
