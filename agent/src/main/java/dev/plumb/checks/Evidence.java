package dev.plumb.checks;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts output to what a report may show: the first few lines, each of bounded width. A check never puts
 * more of a body, an output or a file into its evidence, so a long answer (or a secret further down) stays out
 * of reports.
 */
public final class Evidence {

    /** How many lines of a body or an output a report shows. */
    public static final int LINES = 5;
    private static final int WIDTH = 200;

    private Evidence() {
    }

    /** The first {@link #LINES} lines of {@code text}, noting how many more there were; empty for empty text. */
    public static String firstLines(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String[] lines = text.strip().split("\r?\n");
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(LINES, lines.length); i++) {
            String line = lines[i].replaceAll("[\\p{Cntrl}&&[^\t]]", "?");
            shown.add(line.length() > WIDTH ? line.substring(0, WIDTH) + "..." : line);
        }
        if (lines.length > LINES) {
            shown.add("(" + (lines.length - LINES) + " more lines)");
        }
        return String.join("\n", shown);
    }

    /** {@code label:} and the first lines of {@code text} under it, or nothing when the text is empty. */
    static String labelled(String label, String text) {
        String lines = firstLines(text);
        return lines.isEmpty() ? "" : label + ":\n" + lines.indent(2).stripTrailing();
    }

    /** Text quoted for a message, as {@code 'ok'}. */
    static String quote(String text) {
        return "'" + text + "'";
    }
}
