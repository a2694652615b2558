package dev.plumb.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** How the store reads a failure: a race to try again, a row to blame, the database's or plumb's own. */
class DatabaseFailuresTest {

    @Test
    void aFailureWithoutAnSqlStateIsNoRaceAndStillTheDatabases() {
        SQLException stateless = new SQLException("connection closed");
        RuntimeException wrapped = new RuntimeException("wrapped", stateless);

        assertThat(Database.isRetryable(wrapped)).isFalse();
        assertThat(Database.isFromTheDatabase(wrapped)).isTrue();
        assertThat(Database.mayBeCausedByOneRow(wrapped)).isFalse();
    }

    @Test
    void aDeadlockDeepInTheCausesIsARace() {
        RuntimeException wrapped = new RuntimeException("outer", new SQLException("outer, no state",
                new SQLException("deadlock detected", "40P01")));

        assertThat(Database.isRetryable(wrapped)).isTrue();
    }

    @Test
    void aValueTheDatabaseRefusesMayBeOneRowsAndAFailureOfPlumbsIsNotTheDatabases() {
        assertThat(Database.mayBeCausedByOneRow(new RuntimeException(new SQLException("too long", "22001")))).isTrue();
        assertThat(Database.mayBeCausedByOneRow(new RuntimeException(new SQLException("gone", "08006")))).isFalse();
        IllegalStateException plumbs = new IllegalStateException("a mapping plumb got wrong");
        assertThat(Database.isFromTheDatabase(plumbs)).isFalse();
        assertThat(Database.mayBeCausedByOneRow(plumbs)).isTrue();
    }
}
