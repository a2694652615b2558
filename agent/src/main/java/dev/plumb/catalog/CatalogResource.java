package dev.plumb.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.plumb.api.RefreshAction;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One resource of a catalog: its type, its name, its relations and its resolved attributes.
 * Relations name other resources by id ({@code type:name}); {@code notifyActions} holds, by the id of a resource
 * this one notifies, the action it asks of it, when it asks for one ({@code "reload service:nginx"}); absent from
 * the JSON when there is none, so catalogs without actions are as before.
 */
public record CatalogResource(String type, String name, List<String> requires,
                              @JsonProperty("notify") List<String> notifies,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, RefreshAction> notifyActions,
                              Map<String, Object> attributes) {

    public CatalogResource {
        CatalogFormatException.required(type, "type", "a resource type");
        CatalogFormatException.required(name, "name", "a resource name");
        requires = CatalogFormatException.listOf(requires, "requires", "a list of resource ids");
        notifies = CatalogFormatException.listOf(notifies, "notify", "a list of resource ids");
        notifyActions = notifyActions == null ? Map.of() : new TreeMap<>(notifyActions);
        for (Map.Entry<String, RefreshAction> action : notifyActions.entrySet()) {
            if (!notifies.contains(action.getKey()) || action.getValue() == null) {
                throw new CatalogFormatException("notifyActions", "expected an action (RESTART or RELOAD) for each "
                        + "resource of notify, got " + action.getValue() + " for " + action.getKey());
            }
        }
        attributes = attributes == null ? new TreeMap<>() : new TreeMap<>(attributes);
    }

    /** A resource whose notifications ask for no action of their own. */
    public CatalogResource(String type, String name, List<String> requires, List<String> notifies,
                           Map<String, Object> attributes) {
        this(type, name, requires, notifies, Map.of(), attributes);
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
