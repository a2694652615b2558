package dev.plumb.cli;

import dev.plumb.api.AttributeSchema;
import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.resources.ResourceTypes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Masks the secrets of a catalog for display: the attributes their type's schema calls sensitive, such as the
 * content of a {@code sensitive: true} file and a user's password hash. The {@code sha256} stays, so the printed
 * catalog still identifies the content.
 */
final class SensitiveValues {

    static final String MASK = "(sensitive: hidden; --show-sensitive shows it)";

    private SensitiveValues() {
    }

    static Catalog masked(Catalog catalog) {
        return new Catalog(catalog.version(), catalog.host(),
                catalog.resources().stream().map(SensitiveValues::masked).toList(), catalog.checks(), catalog.source());
    }

    private static CatalogResource masked(CatalogResource resource) {
        List<String> secrets = ResourceTypes.REGISTRY.schema(resource.type()).attributes().stream()
                .filter(attribute -> attribute.isSecretIn(resource.attributes()))
                .map(AttributeSchema::name).filter(resource.attributes()::containsKey).toList();
        if (secrets.isEmpty()) {
            return resource;
        }
        Map<String, Object> attributes = new TreeMap<>(resource.attributes());
        secrets.forEach(name -> attributes.put(name, MASK));
        return new CatalogResource(resource.type(), resource.name(), resource.requires(), resource.notifies(),
                resource.notifyActions(), attributes);
    }
}
