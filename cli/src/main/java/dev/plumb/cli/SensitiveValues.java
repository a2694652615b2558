package dev.plumb.cli;

import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Masks the secrets of a catalog for display: the content of a {@code sensitive: true} file and a user's
 * password hash. The {@code sha256} stays, so the printed catalog still identifies the content.
 */
final class SensitiveValues {

    static final String MASK = "(sensitive: hidden; --show-sensitive shows it)";

    /** The attributes that hold a secret, by resource type; a file's only when it is marked sensitive. */
    private static final Map<String, List<String>> SECRET_ATTRIBUTES = Map.of(
            "file", List.of("content", "contentBase64"),
            "user", List.of("password"));

    private SensitiveValues() {
    }

    static Catalog masked(Catalog catalog) {
        return new Catalog(catalog.version(), catalog.host(),
                catalog.resources().stream().map(SensitiveValues::masked).toList(), catalog.checks(), catalog.source());
    }

    private static CatalogResource masked(CatalogResource resource) {
        List<String> secrets = SECRET_ATTRIBUTES.getOrDefault(resource.type(), List.of());
        boolean markedOrAlwaysSecret = !resource.type().equals("file")
                || Boolean.TRUE.equals(resource.attributes().get("sensitive"));
        if (!markedOrAlwaysSecret || secrets.stream().noneMatch(resource.attributes()::containsKey)) {
            return resource;
        }
        Map<String, Object> attributes = new TreeMap<>(resource.attributes());
        secrets.stream().filter(attributes::containsKey).forEach(name -> attributes.put(name, MASK));
        return new CatalogResource(resource.type(), resource.name(), resource.requires(), resource.notifies(), attributes);
    }
}
