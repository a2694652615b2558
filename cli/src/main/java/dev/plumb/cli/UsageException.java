package dev.plumb.cli;

/**
 * The command line asks for something the project cannot give (a {@code --hosts} pattern that matches nothing or
 * does not parse): a user's mistake, reported as exit 1 with its message. Kept apart from the
 * IllegalArgumentException a bug in plumb could throw, which must not pass for bad input.
 */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
