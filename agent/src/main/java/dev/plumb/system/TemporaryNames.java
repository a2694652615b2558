package dev.plumb.system;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of plumb's temporary files in each directory, listed once and reused while the directory is unchanged:
 * looking for the strays of each file by listing its directory made a run over N files in one directory cost N
 * listings of N entries. A listing is made again when the directory's modification time moved, except by plumb's own
 * writes there, which add no temporary name that outlives them.
 */
final class TemporaryNames {

    private record Listing(FileTime modified, Map<String, List<Path>> byTarget) {
    }

    /** By the directory's file key (device and inode). */
    private static final Map<Object, Listing> LISTINGS = new ConcurrentHashMap<>();

    private TemporaryNames() {
    }

    /** The entries of the open directory {@code parent} named {@code .NAME<mark>...}, NAME being {@code name}. */
    static List<Path> of(SecureDirectoryStream<Path> parent, String name, String mark) throws IOException {
        PosixFileAttributes directory = SafeDirectories.attributes(parent);
        Listing listing = LISTINGS.get(directory.fileKey());
        if (listing == null || !listing.modified().equals(directory.lastModifiedTime())) {
            Map<String, List<Path>> byTarget = new HashMap<>();
            for (Path entry : parent) {
                String entryName = entry.getFileName().toString();
                int at = entryName.indexOf(mark);
                if (entryName.startsWith(".") && at > 1) {
                    byTarget.computeIfAbsent(entryName.substring(1, at), k -> new ArrayList<>()).add(entry.getFileName());
                }
            }
            listing = new Listing(directory.lastModifiedTime(), byTarget);
            LISTINGS.put(directory.fileKey(), listing);
        }
        return listing.byTarget().getOrDefault(name, List.of());
    }

    /**
     * Notes that plumb itself changed the open directory {@code parent} (a write renamed into place, a stray removed,
     * named {@code removed} or null): its listing stays true, less {@code removed}.
     */
    static void changedByPlumb(SecureDirectoryStream<Path> parent, Path removed) throws IOException {
        PosixFileAttributes directory = SafeDirectories.attributes(parent);
        LISTINGS.computeIfPresent(directory.fileKey(), (key, listing) -> {
            Map<String, List<Path>> byTarget = listing.byTarget();
            if (removed != null) {
                byTarget.values().forEach(names -> names.remove(removed));
            }
            return new Listing(directory.lastModifiedTime(), byTarget);
        });
    }
}
