package dev.plumb.cli;

import dev.plumb.report.ReportOutput;

/**
 * The exit codes of every plumb command; stable and documented in the README. Runs report 2 (changes) and 4
 * (failures) through {@link dev.plumb.catalog.RunReport#exitCode()}, added up over hosts by
 * {@link dev.plumb.report.ReportOutput#finish()}.
 */
final class ExitCodes {

    static final int OK = 0;
    static final int INVALID = ReportOutput.INVALID;
    /** Some host failed, as a run with failures and nothing changed reports it. */
    static final int FAILURES = 4;
    /** An internal error (sysexits' EX_SOFTWARE): not the user's input, and what was done is in the reports. */
    static final int BUG = 70;

    private ExitCodes() {
    }
}
