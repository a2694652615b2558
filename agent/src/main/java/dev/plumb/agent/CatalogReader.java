package dev.plumb.agent;

import dev.plumb.catalog.Catalog;
import dev.plumb.catalog.Json;
import dev.plumb.engine.Engine;
import dev.plumb.engine.InvalidCatalogException;
import tools.jackson.core.JacksonException;

/**
 * Reads a compiled catalog, wherever it came from (a file, standard input, a plumb server), into one the engine can
 * run; every way it can be unfit is refused before anything on the host changes, with a message naming the catalog.
 */
public final class CatalogReader {

    private CatalogReader() {
    }

    /** The catalog in {@code json}, checked and prepared; {@code name} says where it came from, for messages. */
    public static Engine.Prepared prepare(byte[] json, String name) throws RunRefusedException {
        try {
            Catalog catalog = Json.MAPPER.readValue(json, Catalog.class);
            if (!Catalog.readable(catalog.version())) {
                throw new RunRefusedException(name + ": catalog version " + catalog.version()
                        + " is not supported; this agent reads versions " + Catalog.OLDEST_READABLE + " to " + Catalog.VERSION);
            }
            return Engine.prepare(catalog, BuiltInTypes.REGISTRY);
        } catch (InvalidCatalogException e) {
            throw new RunRefusedException(name + ": invalid catalog, nothing was changed:\n" + e.getMessage());
        } catch (JacksonException e) {
            throw new RunRefusedException(name + ": not a plumb catalog: " + CatalogJsonErrors.describe(e));
        }
    }
}
