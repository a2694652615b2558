package dev.plumb.server.store;

import java.time.Duration;
import java.time.Instant;

/** Whether a host still reports: its latest report arrived within two agent intervals of now. */
record Freshness(Duration agentInterval, Instant now) {

    /** Takes every host as reachable: the state is the one its latest run left. */
    static final Freshness UNJUDGED = new Freshness(null, null);

    HostState judge(String runStatus, Instant lastReportAt) {
        if (runStatus == null) {
            return HostState.NEVER_REPORTED;
        }
        if (agentInterval != null && lastReportAt.isBefore(now.minus(agentInterval.multipliedBy(2)))) {
            return HostState.UNREACHABLE;
        }
        return HostState.fromApiName(runStatus);
    }
}
