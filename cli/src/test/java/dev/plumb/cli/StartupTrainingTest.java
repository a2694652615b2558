package dev.plumb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTrainingTest {

    /**
     * bin/plumb archives the classes of this training run; a training project that no longer validates (the project
     * format moved on) would archive an error path and slow every later start, so it must keep running cleanly.
     */
    @Test
    void everyCommandOfTheTrainingRunEndsAsAUsersWould(@TempDir Path work) throws IOException {
        assertEquals(ExitCodes.OK, StartupTraining.train(work));
    }
}
