package dev.plumb.system;

/**
 * A text that runs {@code watch} at every read: Java's regular expressions ignore interrupts and have no time limit,
 * so a pattern that backtracks without end, as {@code (.*a){26}} on a long text that does not match, is stopped by a
 * watch that throws once its time is up.
 */
public record WatchedText(CharSequence text, Runnable watch) implements CharSequence {

    @Override
    public char charAt(int index) {
        watch.run();
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
