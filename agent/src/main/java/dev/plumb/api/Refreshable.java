package dev.plumb.api;

import java.io.IOException;
import java.util.List;

/** A resource that can be notified: it refreshes (runs, restarts) when something that notifies it changed. */
public interface Refreshable {

    /** Refreshes because the resources {@code notifiedBy} changed; a dry run only describes it. */
    Change refresh(Context context, boolean apply, List<String> notifiedBy) throws IOException, ResourceException;

    /**
     * Whether {@code change}, made by this resource's own converge in the same run, already did what a refresh
     * would, so that the engine leaves the refresh out: any change of an exec ran it. A service that was only
     * enabled still restarts; one that was started does not.
     */
    default boolean refreshedBy(Change change) {
        return change.isNeeded();
    }
}
