package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.AutoRequires;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.PathBound;
import dev.plumb.api.Removable;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.Hashing;
import dev.plumb.system.SafePaths;
import dev.plumb.system.Secrecy;
import dev.plumb.system.UnifiedDiff;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * {@code file: PATH} — a regular file with the given content, mode, owner and group.
 */
public record FileResource(
        @Attribute(doc = "absolute path of the file") String path,
        @Attribute(doc = "present (default) or absent",
                defaultValue = "present", values = {"present", "absent"})
        String ensure,
        @Attribute(doc = "the whole content as text; left out, the content is not managed",
                sensitive = true, sensitiveWhen = "sensitive", form = Attribute.Form.ANY_TEXT)
        String content,
        @Attribute(doc = "the whole content when it is not text (from a binary source)",
                computed = true, sensitive = true, sensitiveWhen = "sensitive")
        String contentBase64,
        @Attribute(doc = "hash of the content, filled in by the compiler", computed = true) String sha256,
        @Attribute(doc = "octal mode such as \"0640\"; left out, it is not managed", form = Attribute.Form.FILE_MODE)
        String mode,
        @Attribute(doc = "user name; left out, it is not managed") String owner,
        @Attribute(doc = "group name; left out, it is not managed") String group,
        @Attribute(doc = "never show the content or its diff") boolean sensitive,
        @Attribute(name = "validate", doc = "a command that must accept new content before it goes live, %s standing for the path of a "
                + "private copy of it with the final owner and mode, as \"sshd -t -f %s\"; run without a shell at apply, not at plan")
        String validateCommand)
        implements Resource, PathBound, AutoRequires, Removable {

    /**
     * The file another type writes as its own content (a cron job, a sysctl setting, fstab): {@code text}, with
     * {@code mode}, {@code owner} and {@code group} managed where given.
     */
    static FileResource text(String path, String text, String mode, String owner, String group) {
        return new FileResource(path, "present", text, null, Hashing.sha256(text.getBytes(StandardCharsets.UTF_8)), mode,
                owner, group, false, null);
    }

    /** The file another type removes when it is removed itself. */
    static FileResource absent(String path) {
        return new FileResource(path, "absent", null, null, null, null, null, null, false, null);
    }

    /** The largest current content read to show a diff: a file a user grew to gigabytes is hashed, streamed, instead. */
    private static final long LARGEST_DIFFED = 1024 * 1024;

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.normalPath(problems, "path", path);
        Rules.oneOf(problems, "ensure", ensure, "present", "absent");
        Rules.mode(problems, mode);
        if (content != null && contentBase64 != null) {
            problems.add(Diagnostic.ofAttribute("content", "give the content once: as text or as base64, not both"));
        }
        if (validateCommand != null) {
            String problem = managesContent() ? new Validation(validateCommand).problem() : "checks new content; give content, source or template";
            if (problem != null) {
                problems.add(Diagnostic.ofAttribute("validate", problem));
            }
        }
        if (managesContent() && sha256 == null) {
            problems.add(Diagnostic.ofAttribute("sha256", "is missing; catalogs from the compiler always have it"));
        }
        return problems;
    }

    @Override
    public List<String> autoRequires() {
        return Accounts.requiredBy(owner, group);
    }

    @Override
    public boolean removes() {
        return "absent".equals(ensure);
    }

    @Override
    public boolean ownsPath() {
        return true;
    }

    @Override
    public boolean ownsContent() {
        return managesContent();
    }

    /**
     * Converges the file. A symlink at the path is replaced by the file when the content is managed (or removed for
     * {@code ensure: absent}), never written or read through; what it pointed at is named in the change, since a link
     * has no content to back up.
     */
    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        Path file = location();
        PosixFileAttributes current = FileAttributes.readOrNull(file);
        // The directory is opened once, without following an untrusted link, for the strays and the content.
        try (SecureDirectoryStream<Path> parent = Tree.openParentIfAny(file, "absent".equals(ensure) ? "remove" : "write")) {
            return converge(context, apply, file, current, parent);
        }
    }

    private Change converge(Context context, boolean apply, Path file, PosixFileAttributes current,
                            SecureDirectoryStream<Path> parent) throws IOException, ResourceException {
        Change change = new Change();
        if (parent != null) {
            Tree.removeStrayTemporaries(parent, file, change, apply);
        }
        if ("absent".equals(ensure)) {
            if (current != null) {
                requireFileOrLink(file, current);
                change.add(Action.REMOVE, "ensure", current.isSymbolicLink() ? "symlink" : "file", "absent",
                        current.isSymbolicLink() ? "remove symlink to '" + Files.readSymbolicLink(file) + "'" : "remove file");
                if (apply) {
                    if (current.isRegularFile()) {
                        change.backup(context.backups().save(file));
                    }
                    Tree.delete(file);
                }
            }
            return change;
        }
        FileAttributes desired = new FileAttributes(mode, owner, group);
        if (current == null || current.isSymbolicLink()) {
            String attributes = desired.describe();
            if (current == null) {
                requireParentDirectory(file, context, apply);
                change.add(Action.CREATE, "ensure", null, "file", "create file" + (attributes.isEmpty() ? "" : ", " + attributes));
            } else {
                requireContentToReplaceLink(file);
                change.add(Action.CHANGE, "ensure", "symlink", "file", "replace symlink to '" + Files.readSymbolicLink(file) + "' with a file"
                        + (attributes.isEmpty() ? "" : ", " + attributes));
            }
            change.diff(diffOfNew(file, current));
            if (apply) {
                write(context, file, current, desired);
            }
            return change;
        }
        requireFileOrLink(file, current);
        boolean contentDiffers = false;
        if (managesContent()) {
            String currentSha256;
            try (InputStream in = SafePaths.openWithoutFollowing(parent, file.getFileName(), file)) {
                currentSha256 = Hashing.sha256(in);
            }
            contentDiffers = !currentSha256.equals(sha256);
            if (contentDiffers) {
                describeContentChange(change, file, current, currentSha256);
            }
        }
        desired.differencesFrom(current).forEach(change::add);
        if (apply && contentDiffers) {
            change.backup(context.backups().save(file));
            write(context, file, current, desired);
        } else if (apply && change.isNeeded()) {
            Tree.applyAttributes(file, desired);
        }
        return change;
    }

    /**
     * Writes the content in one step, once the {@code validate} command, if any, has accepted a private copy of it
     * with the final owner and mode: a rejected content never goes live, and the old file stays. The validator's
     * output is shown only when the content, once written, could be.
     */
    private void write(Context context, Path file, PosixFileAttributes current, FileAttributes desired)
            throws IOException, ResourceException {
        if (validateCommand == null) {
            AtomicFiles.write(file, desiredBytes(), desired);
            return;
        }
        boolean showOutput = hiddenOnceWritten(file, current) == null;
        try {
            AtomicFiles.write(file, desiredBytes(), desired,
                    copy -> new Validation(validateCommand).check(context.commands(), copy, showOutput));
        } catch (Validation.Rejected e) {
            throw new ResourceException(e.getMessage());
        }
    }

    /**
     * Why the new content must not be shown, as {@link Secrecy} says it, or null: judged by the mode the file will
     * have (the one given, else the current file's, which a write keeps, else 0644), and, for a file already there,
     * by its path and directories as well.
     */
    private String hiddenOnceWritten(Path file, PosixFileAttributes current) {
        boolean existing = current != null && current.isRegularFile();
        Set<PosixFilePermission> finalMode = mode != null ? FileAttributes.permissions(mode)
                : existing ? current.permissions() : FileAttributes.permissions(AtomicFiles.DEFAULT_FILE_MODE);
        String hiddenBecause = Secrecy.hiddenBeforeWriting(file, finalMode, desiredBytes(), sensitive);
        return hiddenBecause == null && existing ? Secrecy.hiddenBecause(file, current, null, sensitive) : hiddenBecause;
    }

    private boolean managesContent() {
        return content != null || contentBase64 != null;
    }

    private byte[] desiredBytes() {
        if (content != null) {
            return content.getBytes(StandardCharsets.UTF_8);
        }
        return contentBase64 != null ? Base64.getDecoder().decode(contentBase64) : new byte[0];
    }

    /**
     * Notes the content change. Content {@link Secrecy} hides (declared sensitive, a well-known secret, a private key,
     * a file not every user may read) shows neither in the diff nor as its hash, as a file check shows it; the current
     * content is read only when its name and mode let it be shown and it is small enough to diff.
     */
    private void describeContentChange(Change change, Path file, PosixFileAttributes current, String currentSha256)
            throws IOException {
        String hiddenBecause = Secrecy.hiddenBecause(file, current, null, sensitive);
        byte[] before = null;
        if (hiddenBecause == null && current.size() <= LARGEST_DIFFED) {
            before = SafePaths.readWithoutFollowing(file);
            hiddenBecause = Secrecy.hiddenBecause(file, current, before, sensitive);
        }
        change.add(Action.CHANGE, "content", hiddenBecause == null ? currentSha256 : Change.SENSITIVE, sha256,
                "content changed");
        if (hiddenBecause != null) {
            change.diff(notShown(hiddenBecause));
        } else if (before == null) {
            change.diff("content changed (" + current.size() + " bytes; too large to show)");
        } else {
            change.diff(diff(before));
        }
    }

    /** The diff of the content a new file (or one replacing a link) gets; hidden as it would be once written. */
    private String diffOfNew(Path file, PosixFileAttributes current) {
        if (!managesContent()) {
            return null;
        }
        String hiddenBecause = hiddenOnceWritten(file, current);
        return hiddenBecause != null ? notShown(hiddenBecause) : diff(null);
    }

    private String diff(byte[] current) {
        if (sensitive) {
            return notShown("is sensitive");
        }
        return managesContent() ? UnifiedDiff.of(path, current, desiredBytes()) : null;
    }

    /** The diff of content that must not be shown, in the words a file check uses for its evidence. */
    private String notShown(String because) {
        return "(content not shown: " + path + " " + because + ")";
    }

    private static void requireFileOrLink(Path file, PosixFileAttributes current) throws ResourceException {
        if (!current.isRegularFile() && !current.isSymbolicLink()) {
            throw new ResourceException(file + " exists but is not a regular file ("
                    + (current.isDirectory() ? "a directory" : "a special file")
                    + "); remove it or manage it with the matching resource type");
        }
    }

    /** A file without managed content would replace a link with an empty file, which no one asked for. */
    private void requireContentToReplaceLink(Path file) throws IOException, ResourceException {
        if (!managesContent()) {
            throw new ResourceException(file + " is a symlink (to '" + Files.readSymbolicLink(file) + "'); without "
                    + "content a file resource would replace it with an empty file: give the content, or manage the "
                    + "link as a symlink resource");
        }
    }

    /**
     * Fails, in a plan as in apply, when the directory that would hold {@code path} neither exists nor is created
     * by a directory resource of the catalog: apply could not create the path.
     */
    static void requireParentDirectory(Path path, Context context, boolean apply) throws ResourceException {
        Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent) && (apply || !context.isManagedDirectory(parent))) {
            throw new ResourceException("parent directory " + parent + " does not exist; declare it as a directory resource");
        }
    }
}
