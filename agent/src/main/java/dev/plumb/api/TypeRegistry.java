package dev.plumb.api;

import dev.plumb.api.Diagnostic;
import java.util.List;
import java.util.Map;

/**
 * The resource and check types an agent knows, by the names catalogs give them. The composition root hands one to
 * the engine, so that the engine instantiates types it never names.
 */
public interface TypeRegistry {

    /**
     * The typed resource of a catalog entry, not yet validated; throws naming what is wrong (an unknown type or
     * attribute, an attribute of the wrong type).
     */
    Resource resource(String type, String name, Map<String, Object> attributes) throws InvalidEntryException;

    /** Everything wrong with a catalog check, each naming its attribute (null: the check as a whole). */
    List<Diagnostic> checkProblems(String type, String target, Map<String, Object> attributes);

    /** The check ready to run; its {@link #checkProblems} must be none. */
    PreparedCheck check(String type, String target, Map<String, Object> attributes);
}
