package dev.plumb.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one attribute of a resource or check type, on the record component that receives it. A component
 * without it is an optional attribute with no further description; the registry reads these once per type to
 * build its {@link TypeSchema}, which feeds validation, the catalog masking and {@code plumb schema}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Attribute {

    /**
     * The attribute's name in files, when it cannot be the record component's own: {@code validate} is the
     * component {@code validateCommand}, as a record's {@code validate()} is its rules.
     */
    String name() default "";

    /** One line for people: what the attribute does, shown by editors next to the key. */
    String doc() default "";

    /** Whether a project file must set it (the type's own rules still check it on the agent). */
    boolean required() default false;

    /** The value it has when not set, as written in a project file; empty when there is none. */
    String defaultValue() default "";

    /** The only values it takes, when it is a choice of words (such as present, absent). */
    String[] values() default {};

    /** Whether it can hold a secret, masked when a catalog is shown (see {@link #sensitiveWhen}). */
    boolean sensitive() default false;

    /**
     * When set, the attribute is sensitive only when this boolean attribute of the same entry is true (a file's
     * content when it is {@code sensitive: true}); ignored unless {@link #sensitive} is.
     */
    String sensitiveWhen() default "";

    /** Filled in by the compiler (a content hash, say): in the catalog, never in project files. */
    boolean computed() default false;

    /** What a text attribute may hold, for the compiler and editors. */
    Form form() default Form.PLAIN;

    /** What a text attribute may hold. */
    enum Form {
        /** A name, path or command: any text but a NUL character. */
        PLAIN,
        /** The content of a file: anything at all. */
        ANY_TEXT,
        /** An octal file mode, which YAML must read as text: "0644", not 0644 (the decimal 644). */
        FILE_MODE
    }
}
