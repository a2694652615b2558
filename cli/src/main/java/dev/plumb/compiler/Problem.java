package dev.plumb.compiler;

/** One thing wrong with the project, where it is, and what would fix it. */
public record Problem(Location location, String message) {

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
