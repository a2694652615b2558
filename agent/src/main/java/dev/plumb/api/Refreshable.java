package dev.plumb.api;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/** A resource that can be notified: it refreshes (runs, restarts) when something that notifies it changed. */
public interface Refreshable {

    /**
     * One notification: the resource that sent it, as messages name it ({@code file[/etc/nginx/nginx.conf]}), and
     * the action it asked for, or null for the notified resource's own way of refreshing.
     */
    record Notice(String from, RefreshAction action) {
    }

    /** Refreshes once for all of {@code notices}, from the resources that changed; a dry run only describes it. */
    Change refresh(Context context, boolean apply, List<Notice> notices) throws IOException, ResourceException;

    /** The actions a notifier may ask of this resource by name; none unless the type has several ways to refresh. */
    default Set<RefreshAction> refreshActions() {
        return Set.of();
    }

    /**
     * Whether {@code change}, made by this resource's own converge in the same run, already did what a refresh
     * would, so that the engine leaves the refresh out: any change of an exec ran it. A service that was only
     * enabled still restarts; one that was started does not.
     */
    default boolean refreshedBy(Change change) {
        return change.isNeeded();
    }

    /** How a refresh names what notified it: {@code (notified by file[/a], file[/b])}. */
    static String notifiedBy(List<Notice> notices) {
        return " (notified by " + String.join(", ", notices.stream().map(Notice::from).toList()) + ")";
    }
}
