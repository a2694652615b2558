package dev.plumb.compiler;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.catalog.Catalog;
import dev.plumb.engine.Engine;
import dev.plumb.engine.InvalidCatalogException;
import java.lang.ref.SoftReference;

/**
 * The engine's own validation of a catalog, as the host's agent will run it. A run on this machine prepares the
 * very catalog value the compiler has just validated, which at 20,000 resources takes as long as half the
 * compilation: so the last catalog prepared is remembered, by identity, for as long as memory allows.
 */
public final class EngineValidation {

    private static volatile SoftReference<Engine.Prepared> last = new SoftReference<>(null);

    private EngineValidation() {
    }

    /** The catalog ready to run, or every problem the engine finds in it. */
    public static Engine.Prepared prepare(Catalog catalog) throws InvalidCatalogException {
        Engine.Prepared remembered = last.get();
        if (remembered != null && remembered.catalog() == catalog) {
            return remembered;
        }
        Engine.Prepared prepared = Engine.prepare(catalog, BuiltInTypes.REGISTRY);
        last = new SoftReference<>(prepared);
        return prepared;
    }
}
