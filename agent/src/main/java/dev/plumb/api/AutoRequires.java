package dev.plumb.api;

import java.util.List;

/**
 * A resource that needs others when the catalog manages them: a file owned by a user needs {@code user:NAME},
 * a service needs the package of its name. The graph adds an edge for each id the catalog declares.
 */
public interface AutoRequires {

    /** Resource ids, as {@code type:name}, this resource needs if they are declared. */
    List<String> autoRequires();
}
