package dev.plumb.api;

import java.io.IOException;
import java.util.List;

/**
 * One managed thing on a host. {@link #converge} reads the current state, compares it with the desired
 * state and describes the difference; only when {@code apply} is true does it also change the host. Plan,
 * check and apply share that one path, so a dry run predicts exactly what apply does.
 */
public interface Resource {

    Change converge(Context context, boolean apply) throws IOException, ResourceException;

    /** The rules the attributes break, each naming the attribute; empty when the resource is well formed. */
    default List<Diagnostic> validate() {
        return List.of();
    }
}
