package dev.plumb.compiler;

import java.util.List;
import java.util.stream.Collectors;

/** The project does not compile; every problem found is listed and nothing was run. */
public class CompileException extends Exception {

    private final List<Problem> problems;

    public CompileException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
