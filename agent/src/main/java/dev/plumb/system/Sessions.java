package dev.plumb.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Linux session ids, read from {@code /proc/PID/stat}. */
final class Sessions {

    private Sessions() {
    }

    /** The session id of process {@code pid}; -1 when it is gone or cannot be read. */
    static long of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces or ')': count fields after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[3]); // state, ppid, pgrp, session
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
