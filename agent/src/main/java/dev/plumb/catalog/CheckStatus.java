package dev.plumb.catalog;

/** How a check came out. */
public enum CheckStatus {
    /** Every expectation held, at the last attempt. */
    PASSED,
    /** An expectation did not hold, or the check could not tell (see its error), at every attempt. */
    FAILED
}
