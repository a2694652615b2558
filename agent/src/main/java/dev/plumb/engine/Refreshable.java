package dev.plumb.engine;

import java.io.IOException;
import java.util.List;

/** A resource that can be notified: it refreshes (runs, restarts) when something that notifies it changed. */
public interface Refreshable {

    /** Refreshes because the resources {@code notifiedBy} changed; a dry run only describes it. */
    Change refresh(Context context, boolean apply, List<String> notifiedBy) throws IOException, ResourceException;
}
