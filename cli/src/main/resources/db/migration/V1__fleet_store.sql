-- The fleet store, one schema for PostgreSQL and for H2 in its PostgreSQL mode (plain SQL types only).
-- Times are TIMESTAMP WITH TIME ZONE; reports and facts are gzip-compressed JSON.

-- Every host that enrolled, sent facts or reported. A credential and enroll tokens are kept as their sha256 only.
CREATE TABLE hosts (
    name              VARCHAR(255) NOT NULL PRIMARY KEY,
    first_seen_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    credential_sha256 CHAR(64) UNIQUE,
    enrolled_at       TIMESTAMP WITH TIME ZONE,
    facts_gz          BYTEA,
    facts_at          TIMESTAMP WITH TIME ZONE,
    catalog_commit    VARCHAR(64),
    catalog_served_at TIMESTAMP WITH TIME ZONE
);

-- One row per run report. run_id makes ingest idempotent; status is how the run left its host (in_sync, changed,
-- drifted, failing_checks, failed), decided when it arrived.
CREATE TABLE runs (
    run_id        VARCHAR(64) NOT NULL PRIMARY KEY,
    host          VARCHAR(255) NOT NULL REFERENCES hosts (name),
    mode          VARCHAR(8) NOT NULL,
    commit_id     VARCHAR(64),
    dirty         BOOLEAN NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    engine_millis BIGINT NOT NULL,
    resources     INTEGER NOT NULL,
    changed       INTEGER NOT NULL,
    failed        INTEGER NOT NULL,
    skipped       INTEGER NOT NULL,
    failed_checks INTEGER NOT NULL,
    status        VARCHAR(16) NOT NULL,
    error         VARCHAR(100000)
);
-- A host's latest runs (status, its runs page, retention) and the runs past the retention cutoff.
CREATE INDEX runs_by_host ON runs (host, started_at);
CREATE INDEX runs_by_start ON runs (started_at);

-- The reports themselves, apart from their runs: the runs stay small rows that the queries of status and history
-- read (and a database caches), while a report is read only when asked for.
CREATE TABLE reports (
    run_id    VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES runs (run_id) ON DELETE CASCADE,
    report_gz BYTEA NOT NULL
);

-- The resources that changed (or would) or failed in a run; in-sync resources live only in the report.
-- resource_key is the sha256 of resource_id, so that ids of any length can be indexed.
CREATE TABLE resource_events (
    run_id       VARCHAR(64) NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    resource_key CHAR(64) NOT NULL,
    resource_id  VARCHAR(100000) NOT NULL,
    host         VARCHAR(255) NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    mode         VARCHAR(8) NOT NULL,
    commit_id    VARCHAR(64),
    status       VARCHAR(16) NOT NULL,
    action       VARCHAR(16),
    changes      VARCHAR(1000000),
    error        VARCHAR(100000)
);
CREATE INDEX resource_events_by_resource ON resource_events (resource_key, started_at);
CREATE INDEX resource_events_by_run ON resource_events (run_id);

-- The checks that failed in a run; passed checks live only in the report.
CREATE TABLE failed_checks (
    run_id   VARCHAR(64) NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    check_id VARCHAR(100000) NOT NULL,
    name     VARCHAR(100000),
    reason   VARCHAR(100000)
);
CREATE INDEX failed_checks_by_run ON failed_checks (run_id);

-- The commits the server followed, and whether each compiled.
CREATE TABLE commits (
    commit_id VARCHAR(64) NOT NULL PRIMARY KEY,
    seen_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    valid     BOOLEAN NOT NULL,
    error     VARCHAR(100000)
);

-- One-use enroll tokens, by the sha256 of their secret.
CREATE TABLE enroll_tokens (
    token_sha256 CHAR(64) NOT NULL PRIMARY KEY,
    host         VARCHAR(255) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at      TIMESTAMP WITH TIME ZONE
);
