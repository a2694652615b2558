package dev.plumb.api;

/**
 * One thing wrong with what a user wrote, from YAML parsing to the engine: how bad it is, what is wrong (the
 * summary: what was expected and a likely fix, in one line), more when there is more to say, and where. The
 * compiler knows the place in a project file; a type's own rules and the engine know the resource and the
 * attribute, which the compiler maps back to file:line:col through its source map.
 *
 * @param severity   how bad it is
 * @param summary    the message, as users read it after the place
 * @param detail     more to say, or null
 * @param location   the place in a project file, or null where only the resource is known
 * @param resourceId the catalog id of the resource ({@code file:/etc/motd}) or check, or null
 * @param attribute  the attribute at fault, or null for the entry as a whole
 */
public record Diagnostic(Severity severity, String summary, String detail, Location location, String resourceId,
                         String attribute) {

    /** How bad a diagnostic is. Every diagnostic so far stops the run before anything changes. */
    public enum Severity {
        ERROR
    }

    /** An error at a place in a project file. */
    public static Diagnostic at(Location location, String summary) {
        return new Diagnostic(Severity.ERROR, summary, null, location, null, null);
    }

    /** A broken rule of one attribute (null: the entry as a whole), as a type's own validation finds it. */
    public static Diagnostic ofAttribute(String attribute, String summary) {
        return new Diagnostic(Severity.ERROR, summary, null, null, null, attribute);
    }

    /** An error about one resource or check of a catalog, and maybe one of its attributes. */
    public static Diagnostic ofResource(String resourceId, String attribute, String summary) {
        return new Diagnostic(Severity.ERROR, summary, null, null, resourceId, attribute);
    }

    /** This diagnostic, about the resource or check with that id. */
    public Diagnostic forResource(String id) {
        return new Diagnostic(severity, summary, detail, location, id, attribute);
    }

    /**
     * One line for the terminal, {@code roles/web.yaml:7:11: message}: a value quoted in the message (a
     * multi-line template, a key holding a carriage return) shows its control characters escaped as everywhere in
     * plumb's output ({@code ^J}, {@code <U+202E>}), so that it neither breaks the line nor rewrites what is already
     * on the screen.
     */
    @Override
    public String toString() {
        String where = location != null ? location + ": "
                : (resourceId != null ? resourceId + " " : "") + (attribute != null ? attribute + ": " : "");
        return Printable.escape(where + summary) + (detail == null ? "" : "\n" + Printable.escape(detail));
    }
}
