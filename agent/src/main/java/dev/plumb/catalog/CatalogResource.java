package dev.plumb.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One resource of a catalog: its type, its name, its relations and its resolved attributes.
 * Relations name other resources by id ({@code type:name}).
 */
public record CatalogResource(String type, String name, List<String> requires,
                              @JsonProperty("notify") List<String> notifies,
                              Map<String, Object> attributes) {

    public CatalogResource {
        CatalogFormatException.required(type, "type", "a resource type");
        CatalogFormatException.required(name, "name", "a resource name");
        requires = CatalogFormatException.listOf(requires, "requires", "a list of resource ids");
        notifies = CatalogFormatException.listOf(notifies, "notify", "a list of resource ids");
        attributes = attributes == null ? new TreeMap<>() : new TreeMap<>(attributes);
    }

    /** The id other resources use to refer to this one, as in {@code file:/etc/motd}. */
    @JsonIgnore
    public String id() {
        return id(type, name);
    }

    public static String id(String type, String name) {
        return type + ":" + name;
    }

    /** How messages name a resource, as in {@code file[/etc/motd]}. */
    public static String display(String id) {
        int colon = id.indexOf(':');
        return colon < 0 ? id : id.substring(0, colon) + "[" + id.substring(colon + 1) + "]";
    }
}
