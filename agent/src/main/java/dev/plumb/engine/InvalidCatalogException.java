package dev.plumb.engine;

import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.CatalogResource;
import java.util.List;
import java.util.stream.Collectors;

/** A catalog the engine refuses to run, with every problem found; nothing was changed. */
public class InvalidCatalogException extends Exception {

    private final List<Diagnostic> problems;

    public InvalidCatalogException(List<Diagnostic> problems) {
        super(problems.stream()
                .map(p -> CatalogResource.display(p.resourceId()) + (p.attribute() == null ? "" : " " + p.attribute()) + ": " + p.summary())
                .collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Diagnostic> problems() {
        return problems;
    }
}
