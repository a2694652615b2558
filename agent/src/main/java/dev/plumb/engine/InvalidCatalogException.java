package dev.plumb.engine;

import dev.plumb.catalog.CatalogResource;
import java.util.List;
import java.util.stream.Collectors;

/** A catalog the engine refuses to run, with every problem found; nothing was changed. */
public class InvalidCatalogException extends Exception {

    private final List<CatalogProblem> problems;

    public InvalidCatalogException(List<CatalogProblem> problems) {
        super(problems.stream()
                .map(p -> CatalogResource.display(p.id()) + (p.attribute() == null ? "" : " " + p.attribute()) + ": " + p.message())
                .collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<CatalogProblem> problems() {
        return problems;
    }
}
