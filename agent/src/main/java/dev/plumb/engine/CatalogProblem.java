package dev.plumb.engine;

/** Something wrong with a catalog as a whole, found before anything runs: names the resource and attribute. */
public record CatalogProblem(String id, String attribute, String message) {
}
