package dev.plumb.compiler.jinja;

import dev.plumb.compiler.jinja.TemplateError.Kind;
import dev.plumb.system.WatchedText;

/**
 * What one rendering may build. Every operation that can grow a value refuses a string over {@link #MAX_CHARS}
 * characters or a list over {@link #MAX_ELEMENTS} elements before building it, and every one of them, every
 * write and every loop step or macro call stops a rendering whose thread was interrupted (its time is up).
 */
public final class Limits {

    /** The most characters one value may hold: the most a template may write. */
    public static final int MAX_CHARS = 16 << 20;
    /** The most elements one list may hold, as many as a {@code range()} may yield. */
    public static final int MAX_ELEMENTS = 1_000_000;

    private Limits() {
    }

    /** Ends a rendering whose time is up. */
    static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw TemplateError.at(Kind.LIMIT, "rendering abandoned: its time is up", null);
        }
    }

    static void check(long length) {
        stopIfInterrupted();
        if (length > MAX_CHARS) {
            checkLength(length, "the text");
        }
    }

    static void checkLength(long length, String what) {
        stopIfInterrupted();
        if (length > MAX_CHARS) {
            throw TemplateError.at(Kind.LIMIT, what + " would make a string of " + length + " characters, more than "
                    + "the limit of " + MAX_CHARS + " (16 MiB) for one value; look for a loop that keeps growing a string",
                    null);
        }
    }

    static void checkSize(long size, String what) {
        stopIfInterrupted();
        if (size > MAX_ELEMENTS) {
            throw TemplateError.at(Kind.LIMIT, what + " would make a list of " + size + " elements, more than the "
                    + "limit of " + MAX_ELEMENTS + " for one value; look for a loop that keeps growing a list", null);
        }
    }

    /**
     * {@code text} for a regular expression to match, which stops as the rest of the rendering does when its time is
     * up (see {@link WatchedText}).
     */
    static CharSequence interruptible(String text) {
        return new WatchedText(text, Limits::stopIfInterrupted);
    }

    static String string(String first, String second, String what) {
        checkLength((long) first.length() + second.length(), what);
        return first + second;
    }
}
