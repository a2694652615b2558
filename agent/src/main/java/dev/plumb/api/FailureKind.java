package dev.plumb.api;

/** Why a resource failed or was skipped, for programs that read reports; the message says it for people. */
public enum FailureKind {
    /** The resource could not be read or converged as described; the message says why. */
    FAILED,
    /** A file could not be read or written. */
    IO,
    /** A command the resource ran exited with an error. */
    COMMAND_FAILED,
    /** A lock another process holds (as dpkg's) stayed held for as long as plumb waited. */
    LOCKED,
    /** Skipped: a resource it depends on failed or was skipped. */
    DEPENDENCY_FAILED,
    /** Skipped: the run was stopped (SIGINT, SIGTERM) before it started. */
    INTERRUPTED,
    /** plumb itself broke an invariant. */
    BUG
}
