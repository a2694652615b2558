package dev.plumb.resources;

import dev.plumb.api.Resource;
import dev.plumb.catalog.CatalogResource;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The registry of resource types. A type is a record whose first component receives the resource's name
 * (the path of a file, the label of an exec) and whose other components are its attributes.
 */
public final class ResourceTypes {

    private static final Map<String, Class<? extends Resource>> TYPES = new LinkedHashMap<>();
    private static final Map<String, Constructor<? extends Resource>> CONSTRUCTORS = new HashMap<>();

    static {
        register("file", FileResource.class);
        register("directory", DirectoryResource.class);
        register("symlink", SymlinkResource.class);
        register("line", LineResource.class);
        register("exec", ExecResource.class);
        register("package", PackageResource.class);
        register("cron", CronResource.class);
        register("user", UserResource.class);
        register("group", GroupResource.class);
        register("service", ServiceResource.class);
    }

    private ResourceTypes() {
    }

    private static void register(String type, Class<? extends Resource> recordClass) {
        if (!recordClass.isRecord() || TYPES.putIfAbsent(type, recordClass) != null) {
            throw new IllegalStateException("resource type " + type + " registered twice or not a record; this is a bug in plumb");
        }
        CONSTRUCTORS.put(type, canonicalConstructor(recordClass));
    }

    /** The constructor of a record that takes every component, in order; check types are built the same way. */
    public static <T> Constructor<? extends T> canonicalConstructor(Class<? extends T> recordClass) {
        Class<?>[] parameterTypes = Arrays.stream(recordClass.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        try {
            return recordClass.getDeclaredConstructor(parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a record always has its canonical constructor; this is a bug in plumb", e);
        }
    }

    public static Set<String> names() {
        return TYPES.keySet();
    }

    public static boolean isKnown(String type) {
        return TYPES.containsKey(type);
    }

    /** The name of the attribute the resource's name fills, such as {@code path} for a file. */
    public static String nameAttribute(String type) {
        return TYPES.get(type).getRecordComponents()[0].getName();
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

    /**
     * Turns a catalog entry into its typed resource by calling the record's canonical constructor; throws
     * IllegalArgumentException naming what is wrong. (Plain reflection: this runs once per resource on every
     * run, where a data-binding library's per-call overhead shows.)
     */
    public static Resource instantiate(CatalogResource spec) {
        return instantiate(spec.type(), spec.name(), spec.attributes());
    }

    /** As {@link #instantiate(CatalogResource)}, from an entry's parts. */
    public static Resource instantiate(String type, String name, Map<String, Object> attributes) {
        Class<? extends Resource> recordClass = TYPES.get(type);
        if (recordClass == null) {
            throw new IllegalArgumentException("unknown resource type '" + type + "'; known types: "
                    + String.join(", ", names()));
        }
        RecordComponent[] components = recordClass.getRecordComponents();
        Set<String> unknown = new TreeSet<>(attributes.keySet());
        Object[] arguments = new Object[components.length];
        arguments[0] = name;
        for (int i = 1; i < components.length; i++) {
            String attribute = components[i].getName();
            unknown.remove(attribute);
            arguments[i] = argument(attribute, components[i].getType(), attributes.get(attribute));
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown attributes " + unknown + " for a " + type + " resource");
        }
        try {
            return CONSTRUCTORS.get(type).newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + recordClass.getSimpleName() + "; this is a bug in plumb", e);
        }
    }

    /**
     * Converts one catalog attribute to the type of the record component that receives it; throws
     * IllegalArgumentException naming the attribute. The check registry converts check attributes the same way.
     */
    public static Object argument(String name, Class<?> type, Object value) {
        if (value == null) {
            return type == boolean.class ? false : null;
        }
        if ((type == boolean.class || type == Boolean.class) && value instanceof Boolean
                || type == String.class && value instanceof String
                || type == Map.class && value instanceof Map<?, ?>) {
            return value;
        }
        if (type == List.class && value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return List.copyOf(list);
        }
        if (type == Integer.class && value instanceof Number number && number.longValue() == number.intValue()) {
            return number.intValue();
        }
        throw new IllegalArgumentException(name + ": expected " + type.getSimpleName().toLowerCase() + ", got '" + value + "'");
    }
}
