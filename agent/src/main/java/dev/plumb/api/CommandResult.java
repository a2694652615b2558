package dev.plumb.api;

/** What a finished command left: its exit code and its output. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The last lines of the command's error output (or of its output when stderr is empty), as evidence. */
    public String evidence() {
        String text = stderr.isBlank() ? stdout : stderr;
        String[] lines = text.strip().split("\n");
        int from = Math.max(0, lines.length - 10);
        return String.join("\n", java.util.Arrays.asList(lines).subList(from, lines.length));
    }
}
