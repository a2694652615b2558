package dev.plumb.compiler;

import dev.plumb.api.Diagnostic;
import java.util.List;
import java.util.stream.Collectors;

/** The project does not compile; every problem found is listed and nothing was run. */
public class CompileException extends Exception {

    private final List<Diagnostic> problems;

    public CompileException(List<Diagnostic> problems) {
        super(problems.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Diagnostic> problems() {
        return problems;
    }
}
