package dev.plumb.cli;

/** The exit codes of every plumb command; stable and documented in the README. */
final class ExitCodes {

    static final int OK = 0;
    static final int INVALID = 1;
    static final int CHANGES = 2;
    static final int FAILURES = 4;

    private ExitCodes() {
    }

    /** Changes and failures add up: 6 means both. */
    static int combine(int a, int b) {
        return a | b;
    }
}
