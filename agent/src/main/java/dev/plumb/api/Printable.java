package dev.plumb.api;

/**
 * Makes text from a catalog, a file or a command safe to print on a terminal, as git and less do: control
 * characters are shown, not obeyed, so a carriage return cannot hide the start of a line, an escape sequence cannot
 * repaint the screen and a newline cannot forge an output line.
 */
public final class Printable {

    private Printable() {
    }

    /**
     * {@code text} with C0 controls and DEL in caret notation ({@code ^M}, {@code ^[}, {@code ^?}; tab is kept), and C1
     * controls, Unicode line separators and bidirectional overrides as {@code <U+009B>}.
     */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            String shown = shown(text.charAt(i));
            if (shown == null) {
                out.append(text.charAt(i));
            } else {
                out.append(shown);
            }
        }
        return out.toString();
    }

    /** How {@code c} is shown, or null when it is shown as itself. */
    private static String shown(char c) {
        if (c < 0x20 && c != '\t') {
            return "^" + (char) (c + 0x40);
        }
        if (c == 0x7f) {
            return "^?";
        }
        boolean c1 = c >= 0x80 && c <= 0x9f;
        boolean lineSeparator = c == '\u2028' || c == '\u2029';
        boolean bidiControl = c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069';
        return c1 || lineSeparator || bidiControl ? String.format("<U+%04X>", (int) c) : null;
    }
}
