package dev.plumb.api;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What one resource or check type takes, read once from its record: the first component receives the entry's name
 * (the path of a file, the URL of an http check), the others are its attributes, described by {@link Attribute}.
 */
public final class TypeSchema {

    private final String kind;
    private final String type;
    private final Class<? extends Record> recordClass;
    private final String nameAttribute;
    private final Attribute nameDescription;
    private final List<AttributeSchema> attributes;
    private final Constructor<?> constructor;

    private TypeSchema(String kind, String type, Class<? extends Record> recordClass, UnaryOperator<String> yamlName) {
        this.kind = kind;
        this.type = type;
        this.recordClass = recordClass;
        RecordComponent[] components = recordClass.getRecordComponents();
        this.nameAttribute = components[0].getName();
        this.nameDescription = components[0].getAnnotation(Attribute.class);
        List<AttributeSchema> list = new ArrayList<>();
        for (int i = 1; i < components.length; i++) {
            Attribute attribute = components[i].getAnnotation(Attribute.class);
            String name = attribute != null && !attribute.name().isEmpty() ? attribute.name() : yamlName.apply(components[i].getName());
            list.add(AttributeSchema.of(name, components[i].getType(), attribute));
        }
        this.attributes = List.copyOf(list);
        Class<?>[] parameterTypes = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            this.constructor = recordClass.getDeclaredConstructor(parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("a record always has its canonical constructor; this is a bug in plumb", e);
        }
    }

    /** The schema of {@code recordClass}, whose component names become attribute names through {@code yamlName}. */
    static TypeSchema of(String kind, String type, Class<?> recordClass, UnaryOperator<String> yamlName) {
        if (!recordClass.isRecord()) {
            throw new IllegalStateException(kind + " type " + type + " is not a record; this is a bug in plumb");
        }
        return new TypeSchema(kind, type, recordClass.asSubclass(Record.class), yamlName);
    }

    /** "resource" or "check". */
    public String kind() {
        return kind;
    }

    /** The name project files and catalogs give the type, such as {@code file}. */
    public String type() {
        return type;
    }

    public Class<? extends Record> recordClass() {
        return recordClass;
    }

    /** The attribute the entry's name fills, such as {@code path} for a file. */
    public String nameAttribute() {
        return nameAttribute;
    }

    /** What the entry's name is, for people; empty when the type does not say. */
    public String nameDoc() {
        return nameDescription == null ? "" : nameDescription.doc();
    }

    /** Every attribute of the type in declaration order, computed ones included. */
    public List<AttributeSchema> attributes() {
        return attributes;
    }

    /** The attributes a project file may set: those the compiler does not compute. */
    public List<AttributeSchema> projectAttributes() {
        return attributes.stream().filter(a -> !a.computed()).toList();
    }

    public Optional<AttributeSchema> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    Object newInstance(Object[] arguments) {
        try {
            return constructor.newInstance(arguments);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + recordClass.getSimpleName() + "; this is a bug in plumb", e);
        }
    }
}
