package dev.plumb.catalog;

import dev.plumb.api.Mismatch;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * How one check came out of a run: the report's unit. Its last attempt decides: the expectations that did not
 * hold with what was found instead, or the error that kept it from telling, and a few lines of evidence.
 *
 * @param id       the check as messages name it, as in {@code http[http://localhost:8080/health]}
 * @param name     the label the project gave it, or null
 * @param attempts how many times it looked (1 plus the retries it needed)
 * @param millis   the time it took, all attempts and the pauses between them included
 */
public record CheckResult(String id, String name, CheckStatus status, List<Mismatch> mismatches, String error,
                          String evidence, int attempts, long millis) {

    public CheckResult {
        mismatches = List.copyOf(mismatches);
    }

    /** The label and the id, as {@code health page (http[http://localhost/health])}, or the id alone. */
    @JsonIgnore
    public String title() {
        return name == null ? id : name + " (" + id + ")";
    }

    @JsonIgnore
    public boolean passed() {
        return status == CheckStatus.PASSED;
    }

    /** Why it failed in one line: the error, or the expectations that did not hold; empty when it passed. */
    @JsonIgnore
    public String reason() {
        if (error != null) {
            return error;
        }
        return String.join("; ", mismatches.stream().map(Mismatch::toString).toList());
    }
}
