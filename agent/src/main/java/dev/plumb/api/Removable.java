package dev.plumb.api;

/**
 * A resource that can be declared to go away ({@code ensure: absent} or {@code purged}). What needs it must be done
 * with it before it goes, so the graph reverses the edges from the resources that depend on one being removed:
 * the service stops before its package is purged, the user goes before its group.
 */
public interface Removable {

    /** Whether this resource, as declared, takes its thing off the host. */
    boolean removes();
}
