package dev.plumb.api;

import java.time.Duration;

/**
 * A check of the catalog ready to run: the typed check and how the runner treats it.
 *
 * @param id       as messages name it, {@code type[target]}
 * @param name     the project's label for it, or null
 * @param retries  how many more times it looks after a failed attempt
 * @param interval the pause between attempts
 * @param timeout  the time limit of each attempt
 */
public record PreparedCheck(String id, String name, Check check, int retries, Duration interval, Duration timeout) {
}
