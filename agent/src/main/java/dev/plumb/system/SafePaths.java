package dev.plumb.system;

import dev.plumb.api.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * The two rules that keep plumb, running as root, on the paths a catalog declares: every path has exactly one
 * spelling (absolute, no {@code .} or {@code ..} component, no {@code //}, no trailing slash, no control
 * character), so two resources can never name one file twice; and a file is read without following a symlink in its
 * place or an untrusted one above it ({@link SafeDirectories}, which every write and removal goes through too).
 */
public final class SafePaths {

    private SafePaths() {
    }

    /** What is wrong with {@code path} as a managed path, with the spelling to write instead; null when nothing is. */
    public static String problem(String path) {
        String control = controlCharacterProblem(path);
        if (control != null) {
            return control;
        }
        if (path.startsWith("~")) {
            return "'" + path + "' is not an absolute path; plumb does not expand ~: write the home directory out, from /";
        }
        if (!path.startsWith("/")) {
            return "'" + path + "' is not an absolute path; write it from /";
        }
        String defect = defect(path);
        return defect == null ? null : "'" + path + "' " + defect + "; write " + normalForm(path);
    }

    /**
     * What is wrong with a value that goes into the filesystem or onto a terminal as given (a path, a link's target):
     * null unless it holds a control character.
     */
    public static String controlCharacterProblem(String value) {
        if (value.chars().noneMatch(Character::isISOControl)) {
            return null;
        }
        return "'" + Printable.escape(value) + "' holds a control character; NUL, newline and other control characters are refused";
    }

    /** The first reason {@code path} (absolute) is not in normal form, or null. */
    private static String defect(String path) {
        if (path.length() > 1 && path.endsWith("/")) {
            return "ends with '/'";
        }
        if (path.contains("//")) {
            return "holds '//'";
        }
        for (String component : path.split("/")) {
            if (component.equals(".") || component.equals("..")) {
                return "holds a '" + component + "' component";
            }
        }
        return null;
    }

    /** {@code path} with {@code .}, {@code ..}, empty components and a trailing slash resolved, as text. */
    private static String normalForm(String path) {
        Deque<String> components = new ArrayDeque<>();
        for (String component : path.split("/")) {
            if (component.equals("..")) {
                components.pollLast();
            } else if (!component.isEmpty() && !component.equals(".")) {
                components.addLast(component);
            }
        }
        return "/" + String.join("/", components);
    }


    /**
     * The content of the regular file at {@code path}, read without following a symlink in its place (O_NOFOLLOW) or
     * an untrusted one among its parents ({@link SafeDirectories}): a link planted there, even between a check and the
     * read, fails instead of showing what it points at. For small files only: large ones are streamed with
     * {@link #openWithoutFollowing}.
     */
    public static byte[] readWithoutFollowing(Path path) throws IOException {
        try (InputStream in = openWithoutFollowing(path)) {
            return in.readAllBytes();
        }
    }

    /** The content of the regular file at {@code path} as a stream, opened as {@link #readWithoutFollowing} reads. */
    public static InputStream openWithoutFollowing(Path path) throws IOException {
        try (SecureDirectoryStream<Path> parent = SafeDirectories.open(path.toAbsolutePath().getParent())) {
            return openWithoutFollowing(parent, path.getFileName(), path);
        }
    }

    /** The content of the regular file {@code name} in an open directory, at {@code path}, as a stream. */
    public static InputStream openWithoutFollowing(SecureDirectoryStream<Path> parent, Path name, Path path)
            throws IOException {
        try {
            return Channels.newInputStream(parent.newByteChannel(name, Set.of(StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS)));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString());
        } catch (IOException e) {
            // O_NOFOLLOW on a link fails with ELOOP, which Java reports as a bare IOException.
            if (SafeDirectories.entry(parent, name).isSymbolicLink()) {
                throw new FileSystemException(path.toString(), null,
                        "is a symlink; plumb does not read through a link the catalog does not declare");
            }
            throw e;
        }
    }
}
