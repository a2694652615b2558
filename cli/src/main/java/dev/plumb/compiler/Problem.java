package dev.plumb.compiler;

import dev.plumb.system.Printable;

/** One thing wrong with the project, where it is, and what would fix it. */
public record Problem(Location location, String message) {

    /**
     * One line for the terminal: a value quoted in the message (a multi-line template, a key holding a carriage
     * return) shows its control characters escaped as everywhere in plumb's output ({@code ^J}, {@code <U+202E>}),
     * so that it neither breaks the line nor rewrites what is already on the screen.
     */
    @Override
    public String toString() {
        return Printable.escape(location + ": " + message);
    }
}
