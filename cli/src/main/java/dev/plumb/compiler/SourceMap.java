package dev.plumb.compiler;

import dev.plumb.api.Location;
import java.util.Map;

/**
 * Where a catalog's entries were declared, so that what happens to them on a host can be told in the project's
 * terms (file:line:col).
 *
 * @param resources by resource id ({@code file:/etc/motd}), the declaration
 * @param checks    by check ({@code http[http://localhost/health]}), the first declaration of it
 */
public record SourceMap(Map<String, Location> resources, Map<String, Location> checks) {

    public SourceMap {
        resources = Map.copyOf(resources);
        checks = Map.copyOf(checks);
    }

    /** Where the resource {@code id} was declared, or null when it is not in the catalog. */
    public Location resource(String id) {
        return resources.get(id);
    }

    /** Where the check shown as {@code display} was first declared, or null when it is not in the catalog. */
    public Location check(String display) {
        return checks.get(display);
    }
}
