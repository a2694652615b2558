package dev.plumb.system;

/**
 * A text that runs {@code watch} as it is read: Java's regular expressions ignore interrupts and have no time limit,
 * so a pattern that backtracks without end, as {@code (.*a){26}} on a long text that does not match, is stopped by a
 * watch that throws once its time is up. The watch runs once every {@value #READS_PER_WATCH} reads: a clock read costs
 * twenty reads of a character, and a match that must stop stops a few microseconds later all the same. One matcher
 * reads it, from one thread.
 */
public final class WatchedText implements CharSequence {

    static final int READS_PER_WATCH = 4096;

    private final CharSequence text;
    private final Runnable watch;
    private int reads;

    public WatchedText(CharSequence text, Runnable watch) {
        this.text = text;
        this.watch = watch;
    }

    @Override
    public char charAt(int index) {
        if (++reads % READS_PER_WATCH == 0) {
            watch.run();
        }
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
