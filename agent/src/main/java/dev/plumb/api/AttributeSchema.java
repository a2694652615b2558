package dev.plumb.api;

import java.util.List;
import java.util.Map;

/**
 * One attribute of a type as project files and catalogs write it: its name there ({@code body_contains}), the
 * Java type it converts to, and what {@link Attribute} says of it.
 */
public record AttributeSchema(String name, Class<?> javaType, boolean required, String defaultValue, String doc,
                              List<String> values, boolean sensitive, String sensitiveWhen, boolean computed,
                              Attribute.Form form) {

    public AttributeSchema {
        values = List.copyOf(values);
    }

    /** Whether this attribute holds a secret in an entry with these attributes (a file's content only when marked). */
    public boolean isSecretIn(Map<String, Object> attributes) {
        return sensitive && (sensitiveWhen.isEmpty() || Boolean.TRUE.equals(attributes.get(sensitiveWhen)));
    }

    /** A plain optional attribute with a description, such as a check's common {@code retries}. */
    public static AttributeSchema optional(String name, Class<?> javaType, String defaultValue, String doc) {
        return new AttributeSchema(name, javaType, false, defaultValue, doc, List.of(), false, "", false,
                Attribute.Form.PLAIN);
    }

    static AttributeSchema of(String name, Class<?> javaType, Attribute attribute) {
        if (attribute == null) {
            return optional(name, javaType, "", "");
        }
        return new AttributeSchema(name, javaType, attribute.required(), attribute.defaultValue(), attribute.doc(),
                List.of(attribute.values()), attribute.sensitive(), attribute.sensitiveWhen(), attribute.computed(),
                attribute.form());
    }
}
