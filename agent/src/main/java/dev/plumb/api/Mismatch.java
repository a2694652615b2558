package dev.plumb.api;

/** One expectation of a check that did not hold, as in {@code status: expected 200, got 503}. */
public record Mismatch(String attribute, String expected, String got) {

    @Override
    public String toString() {
        return attribute + ": expected " + expected + ", got " + got;
    }
}
