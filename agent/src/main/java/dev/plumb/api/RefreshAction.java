package dev.plumb.api;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a notifier may ask of the resource it notifies instead of that resource's own way of refreshing, as in
 * {@code notify: "reload service:nginx"}: a service restarts or reloads.
 */
public enum RefreshAction {
    RESTART,
    RELOAD;

    /** The word the project files and the catalog use, as {@code reload}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action a word names, if any. */
    public static Optional<RefreshAction> of(String word) {
        return Arrays.stream(values()).filter(action -> action.word().equals(word)).findFirst();
    }

    /** Every action's word, for messages and suggestions. */
    public static List<String> words() {
        return Arrays.stream(values()).map(RefreshAction::word).toList();
    }
}
