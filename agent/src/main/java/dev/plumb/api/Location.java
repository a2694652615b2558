package dev.plumb.api;

/** A place in a project file; line and column count from 1. Column 0 means the whole line. */
public record Location(String file, int line, int column) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "");
    }
}
