package dev.plumb.compiler;

import dev.plumb.catalog.Catalog;
import dev.plumb.engine.Engine;

/**
 * The catalog of one host, compiled from that host's facts and validated as the engine will run it, and where in
 * the project each of its resources and checks was declared. Only the catalog goes to a host; {@code prepared} is
 * that same catalog as the engine validated it, which a run on this machine uses rather than prepare it again.
 */
public record CompiledCatalog(Catalog catalog, SourceMap sources, Engine.Prepared prepared) {
}
