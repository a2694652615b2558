package dev.plumb.compiler.jinja;

import dev.plumb.compiler.jinja.TemplateError.Position;
import java.util.List;

/**
 * A name or attribute that has no value. It may be tested ({@code is defined}) or replaced ({@code default}),
 * as in Ansible; any other use fails, naming it where it was written.
 */
record Undefined(List<String> path, String message, Position at, List<String> localNames) {

    /** A name that no scope defines. */
    Undefined(List<String> path, Position at) {
        this(path, at, List.of());
    }

    /** A name that no scope defines, where the template had {@code localNames} in reach. */
    Undefined(List<String> path, Position at, List<String> localNames) {
        this(path, "undefined variable '" + String.join(".", path) + "'", at, localNames);
    }

    /** An attribute or element that a defined value does not have. */
    Undefined(List<String> path, String message, Position at) {
        this(path, message, at, List.of());
    }

    TemplateError error() {
        return new TemplateError(TemplateError.Kind.UNDEFINED, message, at == null ? null : at.template(),
                at == null ? 0 : at.line(), at == null ? 0 : at.column(), path, localNames);
    }
}
