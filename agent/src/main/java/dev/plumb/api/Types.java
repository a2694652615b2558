package dev.plumb.api;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The registry of one kind of type (resources or checks): the name each type goes by, its schema, and how a
 * catalog entry becomes the typed record. Registering a type is one line next to the others of its kind.
 * (Plain reflection: this runs once per entry on every run, where a data-binding library's per-call overhead shows.)
 *
 * @param <T> the contract the types implement, {@link Resource} or {@link Check}
 */
public final class Types<T> {

    private final String kind;
    private final Class<T> contract;
    private final UnaryOperator<String> yamlName;
    private final List<AttributeSchema> common;
    private final Map<String, TypeSchema> schemas = new LinkedHashMap<>();

    /**
     * @param kind     "resource" or "check", for messages
     * @param yamlName turns a record component's name into the attribute's name in files
     * @param common   attributes every type of this kind takes in a catalog besides its own
     */
    public Types(String kind, Class<T> contract, UnaryOperator<String> yamlName, List<AttributeSchema> common) {
        this.kind = kind;
        this.contract = contract;
        this.yamlName = yamlName;
        this.common = List.copyOf(common);
    }

    /** Adds a type: a record implementing the contract; returns this registry, for one line per type. */
    public Types<T> register(String type, Class<? extends T> recordClass) {
        if (schemas.putIfAbsent(type, TypeSchema.of(kind, type, recordClass, yamlName)) != null) {
            throw new IllegalStateException(kind + " type " + type + " registered twice; this is a bug in plumb");
        }
        return this;
    }

    public String kind() {
        return kind;
    }

    public Set<String> names() {
        return schemas.keySet();
    }

    public boolean isKnown(String type) {
        return schemas.containsKey(type);
    }

    /** The schema of a known type. */
    public TypeSchema schema(String type) {
        TypeSchema schema = schemas.get(type);
        if (schema == null) {
            throw new IllegalStateException("no " + kind + " type " + type + "; check isKnown first");
        }
        return schema;
    }

    public Collection<TypeSchema> schemas() {
        return schemas.values();
    }

    /** The attributes every type of this kind takes besides its own, such as a check's {@code retries}. */
    public List<AttributeSchema> common() {
        return common;
    }

    /** Turns a catalog entry into its typed record, not yet validated by the type's own rules. */
    public T instantiate(String type, String name, Map<String, Object> attributes) throws InvalidEntryException {
        TypeSchema schema = schemas.get(type);
        if (schema == null) {
            throw new InvalidEntryException("unknown " + kind + " type '" + type + "'; known types: "
                    + String.join(", ", names()));
        }
        Set<String> unknown = new TreeSet<>(attributes.keySet());
        for (AttributeSchema attribute : common) {
            unknown.remove(attribute.name());
            argument(attribute.name(), attribute.javaType(), attributes.get(attribute.name()));
        }
        List<AttributeSchema> own = schema.attributes();
        Object[] arguments = new Object[own.size() + 1];
        arguments[0] = name;
        for (int i = 0; i < own.size(); i++) {
            AttributeSchema attribute = own.get(i);
            unknown.remove(attribute.name());
            arguments[i + 1] = argument(attribute.name(), attribute.javaType(), attributes.get(attribute.name()));
        }
        if (!unknown.isEmpty()) {
            throw new InvalidEntryException("unknown attributes " + unknown + " for a " + type + " " + kind);
        }
        return contract.cast(schema.newInstance(arguments));
    }

    /** Converts one catalog attribute to the Java type of the component that receives it. */
    private static Object argument(String name, Class<?> type, Object value) {
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
        throw new InvalidEntryException(name + ": expected " + type.getSimpleName().toLowerCase() + ", got '" + value + "'");
    }
}
