package dev.plumb.compiler;

import dev.plumb.system.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a project's files are now, told by their names, types, sizes, times and inodes rather than their contents
 * (reading those would cost as much as compiling): equal fingerprints mean no file of the project was written,
 * added, removed, renamed or replaced since. The status change time is part of it, so a write that keeps the
 * modification time (as {@code cp -p} or {@code touch -d} do) still counts.
 *
 * <p>A git checkout's own files are not walked; its {@code HEAD}, the branch it names, {@code packed-refs} and the
 * index stand for them, which is enough to know that the commit and whether files differ from it are unchanged,
 * when the checkout is the project directory itself. A checkout that holds more than the project (the project is a
 * directory of a larger repository) can differ outside it: {@link #gitOutside()} says so, and git is asked again.
 *
 * @param projectDirectory the project's directory, its real path (links above it resolved)
 * @param sha256       the hash of everything above and of {@code salt}
 * @param newestChange the latest modification or status change of any file, in epoch milliseconds
 * @param takenAt      when the walk began, in epoch milliseconds
 * @param gitOutside   whether a git checkout the fingerprint cannot see decides the project's commit
 */
public record ProjectFingerprint(Path projectDirectory, String sha256, long newestChange, long takenAt, boolean gitOutside) {

    /** More than this many files and directories, and the project is not fingerprinted (it is not small). */
    static final int MAX_ENTRIES = 200_000;
    private static final int MAX_DEPTH = 64;
    private static final Set<String> GIT_STATE = Set.of("HEAD", "index", "packed-refs");

    /**
     * File times have the resolution of the kernel's clock tick (or, over NFS, the server's clock): two writes close
     * together can leave one file with equal times. A fingerprint taken when every file is older than this cannot
     * miss a later write.
     */
    static final long SETTLED_MILLIS = 2_000;

    /**
     * Whether no file changed so recently before the walk that a second write in the same clock tick could go
     * unseen: only then may something be kept under this fingerprint.
     */
    public boolean settled() {
        return newestChange < takenAt - SETTLED_MILLIS;
    }

    /**
     * Waits, {@code bound} at most, until no file of {@code directory} changed too recently for a fingerprint of it to
     * be {@link #settled()}; for a run that wants its project's catalogs kept right after writing it.
     */
    public static void awaitSettled(Path directory, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline && of(directory, "").map(fingerprint -> !fingerprint.settled()).orElse(false)) {
            Thread.sleep(50);
        }
    }

    /**
     * The fingerprint of {@code directory} and {@code salt} (whatever else decides the result, such as the
     * command-line variables), or empty when a file cannot be read or the project is too large to be worth it.
     */
    public static Optional<ProjectFingerprint> of(Path directory, String salt) {
        long takenAt = System.currentTimeMillis();
        Walk walk;
        try {
            walk = new Walk(directory.toRealPath());
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            walk.digest.update(salt.getBytes(StandardCharsets.UTF_8));
            walk.line("\0");
            Files.walkFileTree(walk.root, Set.of(), MAX_DEPTH, walk);
            if (walk.unseen) {
                return Optional.empty();
            }
            boolean gitOutside = walk.gitInside ? System.getenv("GIT_DIR") != null : GitCheckout.mayBeInACheckout(walk.root);
            return Optional.of(new ProjectFingerprint(walk.root, Hashing.hex(walk.digest), walk.newestChange,
                    takenAt, gitOutside));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static final class Walk extends SimpleFileVisitor<Path> {

        private final Path root;
        private final MessageDigest digest;
        private long newestChange;
        private int entries;
        /** Whether something the compiler may read escapes the fingerprint: too many files, too deep, a link out. */
        private boolean unseen;
        private boolean gitInside;

        Walk(Path root) {
            this.root = root;
            this.digest = Hashing.newDigest();
        }

        @Override
        public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) throws IOException {
            if (directory.getFileName() != null && directory.getFileName().toString().equals(".git")) {
                if (directory.getParent().equals(root)) {
                    gitInside = true;
                    gitState(directory);
                }
                return FileVisitResult.SKIP_SUBTREE;
            }
            return record('d', directory, attributes);
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            // A directory here is one at the depth bound, whose files the walk does not see; a link that leaves the
            // project (or names nothing yet) leads to a file whose changes it would not see either.
            if (attributes.isDirectory() || attributes.isSymbolicLink() && !leadsInside(file)) {
                unseen = true;
                return FileVisitResult.TERMINATE;
            }
            FileVisitResult result = record(attributes.isSymbolicLink() ? 'l' : attributes.isRegularFile() ? 'f' : 'o', file, attributes);
            if (attributes.isSymbolicLink()) {
                String target = Files.readSymbolicLink(file).toString();
                line("-> " + target.length() + ":" + target);
            }
            return result;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            throw e;
        }

        private boolean leadsInside(Path link) {
            try {
                return link.toRealPath().startsWith(root);
            } catch (IOException e) {
                return false;
            }
        }

        /** The files by which git knows its commit and the state of the work tree, as far as they exist. */
        private void gitState(Path git) throws IOException {
            for (String name : GIT_STATE) {
                stat(git.resolve(name));
            }
            Path head = git.resolve("HEAD");
            if (Files.isRegularFile(head, LinkOption.NOFOLLOW_LINKS) && Files.size(head) < 4096) {
                String content = Files.readString(head, StandardCharsets.UTF_8).strip();
                line("HEAD " + content);
                if (content.startsWith("ref: refs/") && !content.contains("..")) {
                    stat(git.resolve(content.substring("ref: ".length())));
                }
            }
        }

        private void stat(Path file) throws IOException {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                record('g', file, Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
            }
        }

        private FileVisitResult record(char type, Path path, BasicFileAttributes attributes) throws IOException {
            if (++entries > MAX_ENTRIES) {
                unseen = true;
                return FileVisitResult.TERMINATE;
            }
            FileTime changed = (FileTime) Files.getAttribute(path, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
            newestChange = Math.max(newestChange, Math.max(changed.toMillis(), attributes.lastModifiedTime().toMillis()));
            // The name's length first: a name may hold a newline, and no two trees may read alike.
            String name = root.relativize(path).toString();
            line(type + " " + name.length() + ":" + name + " " + attributes.size() + " " + nanos(attributes.lastModifiedTime())
                    + " " + nanos(changed) + " " + attributes.fileKey());
            return FileVisitResult.CONTINUE;
        }

        private static long nanos(FileTime time) {
            return time.to(TimeUnit.NANOSECONDS);
        }

        private void line(String text) {
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
    }
}
