package dev.plumb.resources;

import dev.plumb.api.Printable;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.SafePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Unpacks an archive as root without trusting it, in two passes over a file whose hash was verified. The first pass
 * judges every entry before anything is written: no absolute name, no {@code ..}, no device or FIFO, no entry under a
 * link or a file of the archive, no symlink whose target leaves the tree or passes through another of the archive's
 * links, hard links only to earlier files, at most {@link #MAX_ENTRIES} entries and {@code maxSize} bytes in all.
 * The second writes into {@code tree}, a new directory only root can enter under directories only root can change,
 * where no link plumb did not judge can exist: so entries are written by path (Java's {@code SecureDirectoryStream}
 * has no mkdirat, symlinkat or linkat), and still never through a link. Set-user-ID, set-group-ID and sticky bits
 * are dropped; entries belong to root until the caller gives them their owner.
 */
final class Extraction {

    /** The most entries an archive may hold: more is a bomb, not a program. */
    static final int MAX_ENTRIES = 100_000;
    private static final int BUFFER = 64 * 1024;

    /** An archive that must not be extracted, and why. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** An entry as it will be written: its path below the tree, in normal form, and its place in the archive. */
    private record Planned(int index, String path, Archive.Entry entry) {
    }

    private final Path archive;
    private final String format;
    private final long maxSize;
    private final String reservedName;

    /** {@code reservedName}: a name at the top of the tree that the caller keeps for itself, refused in the archive. */
    Extraction(Path archive, String format, long maxSize, String reservedName) {
        this.archive = archive;
        this.format = format;
        this.maxSize = maxSize;
        this.reservedName = reservedName;
    }

    /** Judges the whole archive, then writes it into {@code tree}, an empty directory only root can enter. */
    void into(Path tree) throws IOException {
        plan();
        Archive.read(archive, format, (entry, content) -> {
            String path = normalName(entry.name());
            if (!path.isEmpty()) {
                write(tree, tree.resolve(path), entry, content);
            }
        });
    }

    /** The first pass: every entry read and judged, none written. */
    private void plan() throws IOException {
        Map<String, Planned> planned = new HashMap<>();
        long[] total = {0};
        Archive.read(archive, format, (entry, content) -> {
            if (planned.size() >= MAX_ENTRIES) {
                throw new Refused("holds more than " + MAX_ENTRIES + " entries; plumb extracts at most that many");
            }
            String path = normalName(entry.name());
            total[0] += countContent(content, maxSize - total[0]);
            if (path.isEmpty()) {
                return;
            }
            if (entry.kind() == Archive.Kind.OTHER) {
                throw refused(entry, "is a device, FIFO or other special file; plumb extracts files, directories and links only");
            }
            if (path.equals(reservedName)) {
                throw refused(entry, "takes the name plumb keeps its marker under");
            }
            Planned earlier = planned.put(path, new Planned(planned.size(), path, entry));
            if (earlier != null && (earlier.entry().kind() != Archive.Kind.DIRECTORY || entry.kind() != Archive.Kind.DIRECTORY)) {
                throw refused(entry, "is in the archive twice; plumb does not let one entry overwrite another");
            }
        });
        for (Planned entry : planned.values()) {
            requireNothingAbove(entry, planned);
            if (entry.entry().kind() == Archive.Kind.SYMLINK) {
                requireLinkInside(entry, planned);
            } else if (entry.entry().kind() == Archive.Kind.HARDLINK) {
                Planned target = planned.get(linkTargetName(entry));
                if (target == null || target.entry().kind() != Archive.Kind.FILE || target.index() > entry.index()) {
                    throw refused(entry.entry(), "is a hard link to '" + entry.entry().link() + "', which is not a file "
                            + "earlier in the archive");
                }
            }
        }
    }

    /** Reads an entry's content to its end, counting it; more than {@code allowed} bytes refuses the archive. */
    private long countContent(InputStream content, long allowed) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long count = 0;
        for (int read = content.read(buffer); read >= 0; read = content.read(buffer)) {
            count += read;
            if (count > allowed) {
                throw new Refused("unpacks to more than max_size (" + maxSize + " bytes); raise max_size if that is expected");
            }
        }
        return count;
    }

    /** Refuses an entry below one that is not a directory of the archive: writing it would go through a link. */
    private static void requireNothingAbove(Planned entry, Map<String, Planned> planned) throws Refused {
        for (int slash = entry.path().indexOf('/'); slash > 0; slash = entry.path().indexOf('/', slash + 1)) {
            Planned above = planned.get(entry.path().substring(0, slash));
            if (above != null && above.entry().kind() != Archive.Kind.DIRECTORY) {
                throw refused(entry.entry(), "lies under '" + above.path() + "', which the archive makes a "
                        + above.entry().kind().name().toLowerCase() + ", not a directory");
            }
        }
    }

    /**
     * Refuses a symlink that is absolute, or whose target, resolved from the link's directory, leaves the tree or
     * passes through another link of the archive (whose own target would decide where a {@code ..} after it goes).
     */
    private static void requireLinkInside(Planned link, Map<String, Planned> planned) throws Refused {
        String target = link.entry().link();
        if (target == null || target.startsWith("/") || SafePaths.controlCharacterProblem(target) != null) {
            throw refused(link.entry(), "is a symlink to '" + Printable.escape(String.valueOf(target))
                    + "'; plumb extracts only relative links that stay inside the directory");
        }
        Deque<String> at = new ArrayDeque<>(List.of(link.path().split("/")));
        at.removeLast();
        String[] components = target.split("/");
        for (int i = 0; i < components.length; i++) {
            String component = components[i];
            if (component.equals("..")) {
                if (at.pollLast() == null) {
                    throw refused(link.entry(), "is a symlink to '" + target + "', which leaves the directory");
                }
            } else if (!component.isEmpty() && !component.equals(".")) {
                at.addLast(component);
                Planned through = planned.get(String.join("/", at));
                if (i < components.length - 1 && through != null && through.entry().kind() == Archive.Kind.SYMLINK) {
                    throw refused(link.entry(), "is a symlink to '" + target + "', which goes through '"
                            + through.path() + "', another link of the archive");
                }
            }
        }
    }

    private static String linkTargetName(Planned hardLink) {
        try {
            return normalName(hardLink.entry().link() == null ? "" : hardLink.entry().link());
        } catch (Refused e) {
            return "";
        }
    }

    /** Writes one judged entry; as root, a directory's mode does not keep what follows out of it. */
    private static void write(Path tree, Path path, Archive.Entry entry, InputStream content) throws IOException {
        Files.createDirectories(path.getParent());
        switch (entry.kind()) {
            case DIRECTORY -> {
                if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(path);
                }
                Files.setPosixFilePermissions(path, FileAttributes.permissions(modeOf(entry, 0755)));
            }
            case FILE -> {
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    content.transferTo(out);
                }
                Files.setPosixFilePermissions(path, FileAttributes.permissions(modeOf(entry, 0644)));
            }
            case SYMLINK -> Files.createSymbolicLink(path, Path.of(entry.link()));
            case HARDLINK -> Files.createLink(path, tree.resolve(normalName(entry.link())));
            default -> throw new IllegalStateException(entry.kind() + " entry passed the plan; this is a bug in plumb");
        }
    }

    /** The entry's permission bits without set-user-ID, set-group-ID and sticky, or {@code fallback} when it gives none. */
    private static String modeOf(Archive.Entry entry, int fallback) {
        int mode = entry.mode() != 0 ? entry.mode() & 0777 : fallback;
        return String.format("0%03o", mode);
    }

    /**
     * An entry's name as a path below the tree: {@code ./} and empty components dropped, empty for the tree itself.
     * Absolute names, {@code ..} components and control characters are refused.
     */
    static String normalName(String name) throws Refused {
        if (name.startsWith("/")) {
            throw new Refused("holds '" + Printable.escape(name) + "', an absolute path; plumb extracts only relative names");
        }
        if (SafePaths.controlCharacterProblem(name) != null) {
            throw new Refused("holds a name with a control character: '" + Printable.escape(name) + "'");
        }
        List<String> components = new ArrayList<>();
        for (String component : name.split("/")) {
            if (component.equals("..")) {
                throw new Refused("holds '" + name + "', which climbs out with '..'; plumb extracts only names inside the directory");
            }
            if (!component.isEmpty() && !component.equals(".")) {
                components.add(component);
            }
        }
        return String.join("/", components);
    }

    private static Refused refused(Archive.Entry entry, String why) {
        return new Refused("holds '" + Printable.escape(entry.name()) + "', which " + why);
    }
}
