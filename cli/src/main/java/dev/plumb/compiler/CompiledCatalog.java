package dev.plumb.compiler;

import dev.plumb.catalog.Catalog;

/**
 * The catalog of one host, compiled from that host's facts and validated as the engine will run it, and where in
 * the project each of its resources and checks was declared.
 */
public record CompiledCatalog(Catalog catalog, SourceMap sources) {
}
