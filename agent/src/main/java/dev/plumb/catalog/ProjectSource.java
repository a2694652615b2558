package dev.plumb.catalog;

/**
 * Which version of the project a catalog was compiled from, when the project is a git checkout: the commit checked
 * out, and whether files differed from it (uncommitted or untracked changes).
 */
public record ProjectSource(String commit, boolean dirty) {
    public ProjectSource {
        CatalogFormatException.required(commit, "source.commit", "the git commit the project was compiled from");
    }
}
