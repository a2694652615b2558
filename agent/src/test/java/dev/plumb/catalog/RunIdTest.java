package dev.plumb.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunIdTest {

    @Test
    void aRunIdIsAVersion7UuidCarryingTheTimeItWasMade() {
        long before = System.currentTimeMillis();
        UUID id = UUID.fromString(RunReport.newRunId());
        long after = System.currentTimeMillis();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void runIdsMadeInLaterMillisecondsSortLaterAndNoneRepeats() throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(RunReport.newRunId());
            long made = System.currentTimeMillis();
            while (System.currentTimeMillis() == made) {
                Thread.onSpinWait();
            }
        }
        assertThat(ids).isSorted();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(RunReport.newRunId());
        }
        assertThat(new HashSet<>(many)).hasSize(many.size());
    }
}
