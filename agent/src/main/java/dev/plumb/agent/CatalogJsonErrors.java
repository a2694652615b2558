package dev.plumb.agent;

import dev.plumb.catalog.CatalogFormatException;
import java.util.Collection;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Says what is wrong in a hand-edited catalog's JSON in the catalog's own terms: the JSON path, what was expected. */
final class CatalogJsonErrors {

    private CatalogJsonErrors() {
    }

    /** Where in the catalog's JSON the value is wrong and what was expected, as {@code resources[3].requires: ...}. */
    static String describe(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        if (e.getCause() instanceof CatalogFormatException format) {
            return path + (path.isEmpty() ? "" : ".") + format.field() + ": " + format.getMessage();
        }
        if (e instanceof MismatchedInputException mismatch && !(e instanceof UnrecognizedPropertyException)
                && mismatch.getTargetType() != null) {
            return path + ": expected " + describe(mismatch.getTargetType()) + ", got " + describe(mismatch.getCurrentToken());
        }
        return e.getOriginalMessage();
    }

    private static String describe(Class<?> type) {
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        return "an object";
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_NULL -> "null";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case START_ARRAY -> "a list";
            case START_OBJECT -> "an object";
            default -> token.asString() != null ? token.asString() : token.name();
        };
    }
}
