package dev.plumb.server.store;

/** The counts of one run: resources, how many changed (or would), failed and were skipped, and failed checks. */
public record RunCounts(int resources, int changed, int failed, int skipped, int failedChecks) {
}
