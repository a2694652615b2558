package dev.plumb.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;
import java.util.TreeMap;

/**
 * One check of a catalog: its type, its target (a URL, a port, a command line, a path, ...) and its resolved
 * attributes, the common ones ({@code name}, {@code retries}, {@code interval}, {@code timeout}) among them.
 */
public record CatalogCheck(String type, String target, Map<String, Object> attributes) {

    public CatalogCheck {
        CatalogFormatException.required(type, "type", "a check type");
        CatalogFormatException.required(target, "target", "a check target");
        attributes = attributes == null ? new TreeMap<>() : new TreeMap<>(attributes);
    }

    /** How reports and messages name a check, as in {@code http[http://localhost:8080/health]}. */
    @JsonIgnore
    public String display() {
        return display(type, target);
    }

    /** How messages and reports name a check of {@code type} on {@code target}. */
    public static String display(String type, String target) {
        return type + "[" + target + "]";
    }
}
