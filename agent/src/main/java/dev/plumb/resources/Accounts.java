package dev.plumb.resources;

import java.util.ArrayList;
import java.util.List;

/** The user and group resources a path's owner and group need, when the catalog manages them. */
final class Accounts {

    private Accounts() {
    }

    static List<String> requiredBy(String owner, String group) {
        List<String> ids = new ArrayList<>(2);
        if (owner != null) {
            ids.add("user:" + owner);
        }
        if (group != null) {
            ids.add("group:" + group);
        }
        return ids;
    }
}
