package dev.plumb.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The one rule for whether plumb may show a file's content (in a diff, as check evidence): only when every user of
 * the host could read it anyway and nothing marks it secret. plumb runs as root, so what it prints would otherwise
 * hand a secret to whoever reads its output, reports or CI logs.
 */
public final class Secrecy {

    /** Well-known secrets, matched anywhere in the path as given or resolved. */
    private static final List<String> SECRET_PATHS = List.of("/etc/shadow", "/etc/gshadow", "/etc/ssl/private/",
            "/.ssh/", "/etc/sudoers");
    private static final String SECRET_SUFFIX = ".key";
    private static final String SECRET_CONTENT = "PRIVATE KEY";

    private Secrecy() {
    }

    /**
     * Whether the content of the file at {@code path}, whose attributes are {@code attributes}, may be shown:
     * {@link #hiddenBecause} finds no reason to hide it.
     */
    public static boolean mayShow(Path path, PosixFileAttributes attributes, byte[] content, boolean declaredSensitive) {
        return hiddenBecause(path, attributes, content, declaredSensitive) == null;
    }

    /**
     * Why the content of the file at {@code path} must not be shown, as the end of a sentence naming it ("is
     * sensitive", "is not readable by every user"); null when it may be shown. It is hidden when declared sensitive,
     * when its path or name is a well-known secret ({@code /etc/shadow}, {@code /etc/ssl/private/}, {@code ~/.ssh/},
     * {@code *.key}), when {@code content} (null when not read) holds a private key, and unless every user may read
     * it: the file readable by others and every directory above it, symlinks resolved, searchable by others.
     */
    public static String hiddenBecause(Path path, PosixFileAttributes attributes, byte[] content, boolean declaredSensitive) {
        Path real = resolved(path);
        if (declaredSensitive || knownSecret(path) || real != null && knownSecret(real)
                || content != null && new String(content, StandardCharsets.ISO_8859_1).contains(SECRET_CONTENT)) {
            return "is sensitive";
        }
        if (real == null || !attributes.permissions().contains(PosixFilePermission.OTHERS_READ) || !searchableByAll(real)) {
            return "is not readable by every user";
        }
        return null;
    }

    /**
     * Why content about to be written to {@code path} with the permissions {@code finalMode} must not be shown, as
     * {@link #hiddenBecause} says it of content already there: declared sensitive, a well-known secret by its path,
     * a private key, or a mode that lets not every user read it; null when it may be shown.
     */
    public static String hiddenBeforeWriting(Path path, Set<PosixFilePermission> finalMode, byte[] content,
                                             boolean declaredSensitive) {
        if (declaredSensitive || knownSecret(path)
                || new String(content, StandardCharsets.ISO_8859_1).contains(SECRET_CONTENT)) {
            return "is sensitive";
        }
        return finalMode.contains(PosixFilePermission.OTHERS_READ) ? null : "is not readable by every user";
    }

    private static boolean knownSecret(Path path) {
        String name = path.toString();
        return SECRET_PATHS.stream().anyMatch(name::contains) || name.endsWith(SECRET_SUFFIX);
    }

    /** {@code path} with the symlinks of its directories resolved (not its last component); null when that fails. */
    private static Path resolved(Path path) {
        Path absolute = path.toAbsolutePath();
        if (absolute.getParent() == null) {
            return absolute;
        }
        try {
            return absolute.getParent().toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether others may search every directory from {@code /} down to the one holding {@code real}. */
    private static boolean searchableByAll(Path real) {
        return Stream.iterate(real.getParent(), directory -> directory != null, Path::getParent).allMatch(directory -> {
            try {
                return Files.readAttributes(directory, PosixFileAttributes.class).permissions()
                        .contains(PosixFilePermission.OTHERS_EXECUTE);
            } catch (IOException e) {
                return false;
            }
        });
    }
}
