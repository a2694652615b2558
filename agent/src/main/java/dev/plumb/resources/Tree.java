package dev.plumb.resources;

import dev.plumb.engine.Change;
import dev.plumb.engine.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Removal of a path and everything under it, keeping a backup of every regular file's content first. */
final class Tree {

    private Tree() {
    }

    static void remove(Path root, Context context, Change change) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                change.backup(context.backups().save(path));
            }
        }
        for (Path path : paths) {
            Files.delete(path);
        }
    }
}
