/**
 * The server's store: hosts, their latest facts, every run report, the changes and failures in them, the commits
 * the server followed, enroll tokens and host credentials. One schema, migrated by Flyway from empty, serves the
 * embedded H2 file (one server, no setup) and PostgreSQL (several stateless servers on one database).
 */
package dev.plumb.server.store;
