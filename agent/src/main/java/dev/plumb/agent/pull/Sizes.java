package dev.plumb.agent.pull;

/** Byte counts for people. */
final class Sizes {

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;

    private Sizes() {
    }

    /** {@code 64 MiB}, {@code 512 KiB}, {@code 100 bytes}. */
    static String describe(long bytes) {
        if (bytes >= MIB && bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        if (bytes >= KIB && bytes % KIB == 0) {
            return bytes / KIB + " KiB";
        }
        return bytes + " bytes";
    }
}
