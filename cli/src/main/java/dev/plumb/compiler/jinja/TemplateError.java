package dev.plumb.compiler.jinja;

import java.util.List;

/**
 * A template that cannot be parsed or rendered, at a line and column of its source (1-based; 0 when unknown).
 * An undefined name carries its dotted path, so that the caller can say what was probably meant.
 */
public class TemplateError extends RuntimeException {

    /** What went wrong, so that callers choose by kind and never by wording; VARIABLE: in computing a project variable. */
    public enum Kind { SYNTAX, UNDEFINED, LIMIT, TYPE, UNKNOWN_FILTER, UNKNOWN_TEST, UNKNOWN_FUNCTION, VARIABLE }

    private final Kind kind;
    private final String templateName;
    private final int line;
    private final int column;
    private final List<String> undefinedPath;
    private final List<String> localNames;

    public TemplateError(Kind kind, String message, String templateName, int line, int column, List<String> undefinedPath) {
        this(kind, message, templateName, line, column, undefinedPath, List.of());
    }

    TemplateError(Kind kind, String message, String templateName, int line, int column, List<String> undefinedPath,
                  List<String> localNames) {
        super(message);
        this.kind = kind;
        this.templateName = templateName;
        this.line = line;
        this.column = column;
        this.undefinedPath = undefinedPath;
        this.localNames = localNames;
    }

    static TemplateError at(Kind kind, String message, Position at) {
        return new TemplateError(kind, message, at == null ? null : at.template(), at == null ? 0 : at.line(),
                at == null ? 0 : at.column(), List.of());
    }

    public Kind kind() {
        return kind;
    }

    /** The template the error is in, null for a string from a project file. */
    public String templateName() {
        return templateName;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** For {@link Kind#UNDEFINED}: the name as written, split at its dots, as {@code [facts, os, idd]}. */
    public List<String> undefinedPath() {
        return undefinedPath;
    }

    /** The same error at {@code at}, when it does not know where it happened yet. */
    TemplateError locatedAt(Position at) {
        if (line > 0 || at == null) {
            return this;
        }
        TemplateError located = new TemplateError(kind, getMessage(), at.template(), at.line(), at.column(), undefinedPath,
                localNames);
        located.setStackTrace(getStackTrace());
        return located;
    }

    /**
     * For an undefined name: the names the template itself had in reach there (its loop variables, sets, macros)
     * and the words true and false, to say which was probably meant beside the project's variables.
     */
    public List<String> localNames() {
        return localNames;
    }

    /** Where in a template's source a token or node starts. */
    public record Position(String template, int line, int column) {
    }
}
