package dev.plumb.api;

import java.util.List;

/**
 * A resource that converges together with the other resources of its kind that do not depend on each other,
 * in one step: packages in one apt transaction instead of one per package. The engine groups them; one
 * alone converges as a group of one.
 */
public interface Batched extends Resource {

    /**
     * Converges {@code members} (this resource among them, all of this class, none depending on another) as
     * one step; returns one outcome per member, in the same order.
     */
    List<Outcome> convergeTogether(Context context, boolean apply, List<Batched> members);

    @Override
    default Change converge(Context context, boolean apply) throws ResourceException {
        Outcome outcome = convergeTogether(context, apply, List.of(this)).get(0);
        if (outcome.failure() != null) {
            throw new ResourceException(outcome.kind(), outcome.failure());
        }
        return outcome.change();
    }

    /** How one member came out: its change, or why it failed and what kind of failure that is. */
    record Outcome(Change change, String failure, FailureKind kind) {

        public static Outcome of(Change change) {
            return new Outcome(change, null, null);
        }

        public static Outcome failed(FailureKind kind, String failure) {
            return new Outcome(null, failure, kind);
        }
    }
}
