package dev.plumb.transport.ssh;

import dev.plumb.api.Change;
import dev.plumb.api.Printable;
import dev.plumb.catalog.CheckReport;
import dev.plumb.catalog.CheckResult;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The checks a report a host printed passes before the controller keeps or shows it: the host runs the agent but is
 * not trusted with the controller's files or output. Its {@code host} must be the inventory's name for it (no host
 * poses as another), its {@code runId} a UUID and its {@code startedAt} an instant (they name the report's file),
 * its {@code mode} the one asked for, and every part the renderers read must be there.
 */
final class ReceivedReport {

    /** The most of a reason shown: a hostile host's text is bounded too. */
    private static final int REASON_LIMIT = 200;

    private ReceivedReport() {
    }

    /** Why {@code report}, from host {@code host} asked to run in {@code mode}, cannot be trusted; null when it can. */
    static String problem(RunReport report, String host, Mode mode) {
        if (!host.equals(report.host())) {
            return "it names the host " + quoted(report.host()) + ", not " + host;
        }
        if (!isUuid(report.runId())) {
            return "its runId " + quoted(report.runId()) + " is not a UUID";
        }
        if (!isInstant(report.startedAt())) {
            return "its startedAt " + quoted(report.startedAt()) + " is not a time such as 2024-05-01T12:00:00Z";
        }
        if (report.mode() != mode) {
            return "it is a report of " + report.mode() + ", not of the " + mode + " asked for";
        }
        if (report.summary() == null) {
            return "it has no summary";
        }
        for (ResourceResult result : report.resources()) {
            String missing = missing(result);
            if (missing != null) {
                return "a resource result has no " + missing;
            }
        }
        return report.checks() == null ? null : checksProblem(report.checks());
    }

    /** The report's own field a renderer would miss in {@code result}, or null. */
    private static String missing(ResourceResult result) {
        if (result == null) {
            return "content";
        }
        if (result.id() == null || result.status() == null || result.action() == null) {
            return result.id() == null ? "id" : result.status() == null ? "status" : "action";
        }
        if (result.status() == Status.SKIPPED && result.error() == null) {
            return "reason for being skipped";
        }
        if (result.changes().stream().anyMatch(Objects::isNull) || result.backups().stream().anyMatch(Objects::isNull)) {
            return "entry in its changes or backups";
        }
        return result.changes().stream().map(Change.Entry::action).anyMatch(Objects::isNull) ? "action in its changes"
                : null;
    }

    private static String checksProblem(CheckReport checks) {
        List<CheckResult> results = checks.results();
        for (CheckResult check : results) {
            if (check == null || check.id() == null || check.status() == null
                    || check.mismatches().stream().anyMatch(Objects::isNull)) {
                return "a check result has no id, status or expectation";
            }
        }
        return null;
    }

    private static boolean isUuid(String text) {
        if (text == null || text.length() != 36) {
            return false;
        }
        try {
            return UUID.fromString(text).toString().equals(text.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isInstant(String text) {
        if (text == null) {
            return false;
        }
        try {
            Instant.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** {@code text} as a reason shows it: quoted, escaped, and cut at {@link #REASON_LIMIT}. */
    static String quoted(String text) {
        return text == null ? "null" : "'" + bounded(text) + "'";
    }

    /** {@code text} escaped for a terminal and cut at {@link #REASON_LIMIT} characters. */
    static String bounded(String text) {
        String cut = text.length() > REASON_LIMIT ? text.substring(0, REASON_LIMIT) + "..." : text;
        return Printable.escape(cut);
    }
}
