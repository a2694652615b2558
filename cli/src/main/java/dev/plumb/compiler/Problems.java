package dev.plumb.compiler;

import dev.plumb.api.Diagnostic;
import dev.plumb.api.Location;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects every problem found, in the order found, each once; validation reports all of them together. */
public final class Problems {

    private final Set<Diagnostic> problems = new LinkedHashSet<>();

    public void add(Location location, String message) {
        problems.add(Diagnostic.at(location, message));
    }

    public int size() {
        return problems.size();
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<Diagnostic> list() {
        return new ArrayList<>(problems);
    }

    /** Throws with everything found so far, if anything was. */
    public void throwIfAny() throws CompileException {
        if (!problems.isEmpty()) {
            throw new CompileException(list());
        }
    }
}
