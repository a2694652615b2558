package dev.plumb.api;

import dev.plumb.api.Diagnostic;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * One verification of behaviour on a host. {@link #verify} looks once and only reads: it never changes the
 * host. It throws when it cannot tell at all (the reason becomes the check's error); the runner retries, limits
 * each attempt to {@code timeout} and catches everything.
 */
public interface Check {

    /** Looks once and says which expectations did not hold; {@code timeout} bounds any waiting it does. */
    Verdict verify(CheckContext context, Duration timeout) throws IOException, ResourceException, InterruptedException;

    /** The rules the attributes break, each naming the attribute; empty when the check is well formed. */
    default List<Diagnostic> validate() {
        return List.of();
    }
}
