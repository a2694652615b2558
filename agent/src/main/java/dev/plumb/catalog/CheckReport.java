package dev.plumb.catalog;

import java.util.List;

/** How a host's checks came out: each result in catalog order, the counts, and the wall time of the whole run. */
public record CheckReport(int checks, int passed, int failed, long millis, List<CheckResult> results) {

    public CheckReport {
        results = List.copyOf(results);
    }

    public static CheckReport of(List<CheckResult> results, long millis) {
        int passed = (int) results.stream().filter(CheckResult::passed).count();
        return new CheckReport(results.size(), passed, results.size() - passed, millis, results);
    }
}
