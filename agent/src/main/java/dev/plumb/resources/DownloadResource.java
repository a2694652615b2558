package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.AutoRequires;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.PathBound;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.Hashing;
import dev.plumb.system.SafeDirectories;
import dev.plumb.system.SafePaths;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code download: PATH} — a file fetched from a URL and pinned by its SHA-256, or with {@code extract} an archive
 * unpacked into the directory PATH. In sync when the file's hash (or the hash the directory's marker records) is the
 * pinned one: a run with nothing to do touches no network. A download goes to a private temporary file and only a
 * body with the pinned hash goes live, in one rename; an extracted tree is built beside the directory and renamed
 * into its place whole.
 */
public record DownloadResource(
        @Attribute(doc = "absolute path of the file; with extract, of the directory the archive is unpacked into") String path,
        @Attribute(doc = "the http or https URL to download", required = true) String url,
        @Attribute(doc = "the SHA-256 of the file, 64 hex digits: a download is pinned", required = true) String sha256,
        @Attribute(doc = "octal mode such as \"0755\" (of the directory, with extract); left out, 0644 for a new file",
                form = Attribute.Form.FILE_MODE)
        String mode,
        @Attribute(doc = "user name (of every extracted entry, with extract); left out, root") String owner,
        @Attribute(doc = "group name (of every extracted entry, with extract); left out, root") String group,
        @Attribute(doc = "unpack the download, an archive of this format, into the directory path", values = {"tar", "tar.gz", "zip"})
        String extract,
        @Attribute(name = "max_size", doc = "the largest download, and with extract the most its entries may unpack "
                + "to, such as 200M or 2G", defaultValue = "1G")
        String maxSize,
        @Attribute(doc = "the seconds allowed from the request to the last byte", defaultValue = "600")
        Integer timeout)
        implements Resource, PathBound, AutoRequires {

    /** Inside an extracted directory: the SHA-256 of the archive it was unpacked from, so a no-op unpacks nothing. */
    static final String MARKER = ".plumb-download";
    private static final int DEFAULT_TIMEOUT_SECONDS = 600;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})([KMG]?)");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.normalPath(problems, "path", path);
        Rules.required(problems, "url", url);
        Rules.required(problems, "sha256", sha256);
        Rules.mode(problems, mode);
        Rules.oneOf(problems, "extract", extract, "tar", "tar.gz", "zip");
        String urlProblem = url == null ? null : Rules.httpUrlProblem(url);
        if (urlProblem != null) {
            problems.add(Diagnostic.ofAttribute("url", urlProblem));
        }
        if (sha256 != null && !SHA256.matcher(sha256).matches()) {
            problems.add(Diagnostic.ofAttribute("sha256", "'" + sha256 + "' is not a SHA-256; expected 64 lower-case hex "
                    + "digits, as sha256sum prints them"));
        }
        if (maxSize != null && bytes(maxSize) < 0) {
            problems.add(Diagnostic.ofAttribute("max_size", "'" + maxSize + "' is not a size; expected bytes, or a number "
                    + "with K, M or G, such as 200M"));
        }
        if (timeout != null && timeout <= 0) {
            problems.add(Diagnostic.ofAttribute("timeout", timeout + " is not a positive number of seconds"));
        }
        return problems;
    }

    @Override
    public List<String> autoRequires() {
        return Accounts.requiredBy(owner, group);
    }

    @Override
    public boolean ownsPath() {
        return true;
    }

    @Override
    public boolean createsDirectory() {
        return extract != null;
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        Path target = location();
        PosixFileAttributes current = FileAttributes.readOrNull(target);
        Change change = new Change();
        FileAttributes desired = new FileAttributes(mode, owner, group);
        if (extract == null) {
            Tree.removeStrayTemporaries(target, change, apply);
        }
        String have = extract == null ? fileHash(target, current) : extractedHash(target, current);
        if (sha256.equals(have)) {
            desired.differencesFrom(current).forEach(change::add);
            if (apply && change.isNeeded()) {
                Tree.applyAttributes(target, desired);
            }
            return change;
        }
        if (current == null) {
            FileResource.requireParentDirectory(target, context, apply);
        }
        String what = extract == null ? "download " + url : "download " + url + " and extract it (" + extract + ")"
                + (current != null ? ", replacing all that " + path + " holds" : "");
        change.add(current == null ? Action.CREATE : Action.CHANGE, "sha256", have, sha256, what);
        if (apply) {
            try {
                if (extract == null) {
                    boolean backUp = current != null && current.isRegularFile();
                    AtomicFiles.write(target, out -> {
                        download().writeTo(out);
                        // Verified and about to replace the file: only now is the old one worth a backup.
                        if (backUp) {
                            change.backup(context.backups().save(target));
                        }
                    }, desired);
                } else {
                    extractInto(target, current != null, context, change);
                }
            } catch (Download.Failed | Archive.Malformed | Extraction.Refused e) {
                throw new ResourceException(failure(e));
            }
        }
        return change;
    }

    private String failure(IOException e) {
        return e instanceof Download.Failed ? e.getMessage()
                : "the archive from " + url + " " + e.getMessage() + "; nothing was extracted and " + path + " was left as it was";
    }

    /** The hash of the file there, or null when there is none; a directory or special file there is an error. */
    private String fileHash(Path file, PosixFileAttributes current) throws IOException, ResourceException {
        if (current == null || current.isSymbolicLink()) {
            return null;
        }
        if (!current.isRegularFile()) {
            throw new ResourceException(file + " exists but is not a regular file; remove it or give another path");
        }
        return Hashing.sha256(file);
    }

    /** The hash the directory's marker records, or null when it has none; a file there is an error. */
    private static String extractedHash(Path directory, PosixFileAttributes current) throws IOException, ResourceException {
        if (current == null) {
            return null;
        }
        if (!current.isDirectory()) {
            throw new ResourceException(directory + " exists but is not a directory; with extract, path is the directory "
                    + "to unpack into");
        }
        try {
            return new String(SafePaths.readWithoutFollowing(directory.resolve(MARKER)), StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private Download download() {
        return new Download(URI.create(url), sha256, maxBytes(), Duration.ofSeconds(timeout == null ? DEFAULT_TIMEOUT_SECONDS : timeout));
    }

    private long maxBytes() {
        return bytes(maxSize == null ? "1G" : maxSize);
    }

    /**
     * Downloads the archive into a new directory beside {@code directory} that only root can enter, unpacks it there,
     * gives it its attributes and the marker, and renames it into place; a directory already there is moved aside
     * first and removed after, with backups, as a removal is. The directory above must be one only root can change,
     * so that nothing can be swapped into the tree while it is built.
     */
    private void extractInto(Path directory, boolean exists, Context context, Change change)
            throws IOException, ResourceException {
        Path parent = directory.getParent();
        requireRootOnly(parent);
        Path staging = Files.createDirectory(parent.resolve(AtomicFiles.temporaryName(directory.getFileName())),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path archive = Files.createFile(staging.resolve("archive"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(archive, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                download().writeTo(out);
            }
            Path tree = Files.createDirectory(staging.resolve("tree"));
            new Extraction(archive, extract, maxBytes(), MARKER).into(tree);
            Files.write(tree.resolve(MARKER), (sha256 + "\n").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.CREATE_NEW);
            giveOwner(tree);
            Files.setPosixFilePermissions(tree, FileAttributes.permissions(mode == null ? "0755" : mode));
            Path old = exists ? parent.resolve(AtomicFiles.temporaryName(directory.getFileName())) : null;
            if (old != null) {
                Files.move(directory, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tree, directory, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) {
                Tree.removeAll(old, context, change);
            }
        } finally {
            AtomicFiles.removeTree(staging);
        }
    }

    /** Gives every entry of the new tree the owner and group asked for, links themselves, never what they point at. */
    private void giveOwner(Path tree) throws IOException {
        if (owner == null && group == null) {
            return;
        }
        FileAttributes ownership = new FileAttributes(null, owner, group);
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
                return visitFile(directory, attributes);
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                try (SecureDirectoryStream<Path> parent = SafeDirectories.open(file.getParent())) {
                    ownership.applyTo(parent, file.getFileName());
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Refuses to build a tree under a directory that someone other than root could change, or whose way from / holds
     * such a directory: a directory writable by others is accepted only with the sticky bit (as /tmp), where no one
     * may move what root made.
     */
    private static void requireRootOnly(Path parent) throws IOException, ResourceException {
        for (Path directory = parent; directory != null; directory = directory.getParent()) {
            PosixFileAttributes attributes = Files.readAttributes(directory, PosixFileAttributes.class);
            int unixMode = (Integer) Files.getAttribute(directory, "unix:mode");
            boolean sticky = (unixMode & 01000) != 0;
            if (!attributes.owner().getName().equals("root") || (unixMode & 0022) != 0 && !sticky) {
                throw new ResourceException("refusing to extract into " + parent + ": " + directory + " is owned by "
                        + attributes.owner().getName() + " or writable by others, so the tree could be changed while "
                        + "plumb builds it; extract under a directory only root can change, such as /opt");
            }
        }
    }

    /** A size such as {@code 200M} in bytes (K, M and G are binary), or -1 when it is not one. */
    static long bytes(String size) {
        Matcher matcher = SIZE.matcher(size.trim());
        if (!matcher.matches()) {
            return -1;
        }
        int shift = switch (matcher.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        return Long.parseLong(matcher.group(1)) << shift;
    }
}
