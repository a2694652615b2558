package dev.plumb.transport.ssh;

/** Quoting for the POSIX shell commands plumb runs on hosts. */
final class Shell {

    private Shell() {
    }

    /** {@code text} as one word of a shell command, whatever it holds. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
