package dev.plumb.cli;

/**
 * The exit codes of every plumb command; stable and documented in the README. Runs report 2 (changes) and 4
 * (failures) through {@link dev.plumb.catalog.RunReport#exitCode()}.
 */
final class ExitCodes {

    static final int OK = 0;
    static final int INVALID = 1;
    /** An internal error (sysexits' EX_SOFTWARE): not the user's input, and what was done is in the reports. */
    static final int BUG = 70;

    private ExitCodes() {
    }

    /** Changes and failures add up: 6 means both. */
    static int combine(int a, int b) {
        return a | b;
    }
}
