package dev.plumb.api;

import java.io.IOException;

/** The one seam through which resources run system commands, so tests can see the exact argv. */
public interface CommandRunner {

    /** Runs a command to completion; throws when it cannot start or runs past its time limit. */
    CommandResult run(Command command) throws IOException;
}
