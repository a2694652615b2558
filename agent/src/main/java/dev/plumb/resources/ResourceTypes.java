package dev.plumb.resources;

import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Json;
import dev.plumb.engine.Resource;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;

/**
 * The registry of resource types. A type is a record whose first component receives the resource's name
 * (the path of a file, the label of an exec) and whose other components are its attributes.
 */
public final class ResourceTypes {

    private static final Map<String, Class<? extends Resource>> TYPES = new LinkedHashMap<>();

    static {
        register("file", FileResource.class);
        register("directory", DirectoryResource.class);
        register("symlink", SymlinkResource.class);
        register("line", LineResource.class);
        register("exec", ExecResource.class);
    }

    private ResourceTypes() {
    }

    private static void register(String type, Class<? extends Resource> recordClass) {
        if (!recordClass.isRecord() || TYPES.putIfAbsent(type, recordClass) != null) {
            throw new IllegalStateException("resource type " + type + " registered twice or not a record; this is a bug in plumb");
        }
    }

    public static Set<String> names() {
        return TYPES.keySet();
    }

    public static boolean isKnown(String type) {
        return TYPES.containsKey(type);
    }

    /** The attributes a project file may set on a type, in declaration order, with their Java types. */
    public static Map<String, Class<?>> attributes(String type) {
        Map<String, Class<?>> attributes = new LinkedHashMap<>();
        RecordComponent[] components = TYPES.get(type).getRecordComponents();
        for (int i = 1; i < components.length; i++) {
            if (!components[i].isAnnotationPresent(Computed.class)) {
                attributes.put(components[i].getName(), components[i].getType());
            }
        }
        return attributes;
    }

    /** Turns a catalog entry into its typed resource; throws IllegalArgumentException naming what is wrong. */
    public static Resource instantiate(CatalogResource spec) {
        Class<? extends Resource> recordClass = TYPES.get(spec.type());
        if (recordClass == null) {
            throw new IllegalArgumentException("unknown resource type '" + spec.type() + "'; known types: "
                    + String.join(", ", names()));
        }
        Map<String, Object> values = new TreeMap<>(spec.attributes());
        values.put(recordClass.getRecordComponents()[0].getName(), spec.name());
        try {
            return Json.MAPPER.convertValue(values, recordClass);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("invalid attributes: " + e.getOriginalMessage());
        }
    }
}
