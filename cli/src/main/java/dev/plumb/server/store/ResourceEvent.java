package dev.plumb.server.store;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.Status;
import dev.plumb.api.Action;
import java.time.Instant;

/**
 * A resource changing or failing in one run of one host: how it came out, its changes (the report's typed entries,
 * as JSON), and its error.
 */
public record ResourceEvent(String resource, String host, String runId, Instant at, Mode mode, String commit,
                            Status status, Action action, @JsonRawValue String changes, String error) {
}
