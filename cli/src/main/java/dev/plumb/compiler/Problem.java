package dev.plumb.compiler;

/** One thing wrong with the project, where it is, and what would fix it. */
public record Problem(Location location, String message) {

    /**
     * One line for the terminal: a value quoted in the message (a multi-line template, a key holding a carriage
     * return) shows its control characters escaped, as {@code \n}, so that it neither breaks the line nor
     * rewrites what is already on the screen.
     */
    @Override
    public String toString() {
        return printable(location + ": " + message);
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
