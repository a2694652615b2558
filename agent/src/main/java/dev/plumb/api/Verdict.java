package dev.plumb.api;

import java.util.ArrayList;
import java.util.List;

/** What one look found: each expectation that did not hold, and evidence (a few first lines) to show with them. */
public final class Verdict {

    private final List<Mismatch> mismatches = new ArrayList<>();
    private String evidence;

    /** Records that {@code attribute} expected {@code expected} and found {@code got}. */
    public Verdict mismatch(String attribute, String expected, String got) {
        mismatches.add(new Mismatch(attribute, expected, got));
        return this;
    }

    /** Evidence shown when the check fails: already cut to a few lines, never a secret. */
    public Verdict evidence(String evidence) {
        this.evidence = evidence == null || evidence.isBlank() ? null : evidence;
        return this;
    }

    public boolean passed() {
        return mismatches.isEmpty();
    }

    public List<Mismatch> mismatches() {
        return List.copyOf(mismatches);
    }

    public String evidence() {
        return evidence;
    }
}
