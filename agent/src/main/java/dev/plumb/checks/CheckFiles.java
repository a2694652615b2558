package dev.plumb.checks;

import dev.plumb.api.ResourceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How checks read files, as root on a host others share: only regular files (a FIFO or a device such as
 * {@code /dev/zero} would block or never end), text only up to {@link #MAX_TEXT_BYTES}, never through a symlink
 * at the last component, and from the very file whose attributes were looked at, so that whether its content
 * may be shown is decided on that file.
 */
final class CheckFiles {

    /** The most a check reads of a file as text, to search or to parse. */
    static final int MAX_TEXT_BYTES = 1 << 20;

    private CheckFiles() {
    }

    /**
     * What was read of a regular file.
     *
     * @param text          the whole content when text was asked for, else null
     * @param sha256        the SHA-256 of the whole content
     * @param size          the size in bytes
     * @param attributes    its attributes, for {@link dev.plumb.system.Secrecy} to decide whether a report may show it:
     *                      those from before the read if the file was not readable by others then, else from after
     */
    record Content(byte[] text, String sha256, long size, PosixFileAttributes attributes) {
    }

    /**
     * Reads the regular file {@code file} (a symlink is not followed: give its {@link Path#toRealPath}), hashing
     * all of it and keeping it as text when {@code asText}; {@code purpose} names the check for messages, as
     * "a certificate check". Throws with a clear reason for anything else, or text over the limit.
     */
    static Content read(Path file, boolean asText, String purpose) throws IOException, ResourceException {
        PosixFileAttributes before = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!before.isRegularFile()) {
            throw new ResourceException(file + " is " + kind(before) + ", not a regular file; " + purpose
                    + " reads regular files only");
        }
        if (asText && before.size() > MAX_TEXT_BYTES) {
            throw tooLarge(file, purpose);
        }
        MessageDigest digest = sha256();
        ByteArrayOutputStream text = asText ? new ByteArrayOutputStream() : null;
        long size = 0;
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                size += n;
                digest.update(buffer, 0, n);
                if (text != null) {
                    if (size > MAX_TEXT_BYTES) {
                        throw tooLarge(file, purpose);
                    }
                    text.write(buffer, 0, n);
                }
            }
        }
        PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!before.fileKey().equals(after.fileKey())) {
            throw new ResourceException(file + " was replaced while it was read; the check reads it again on its next try");
        }
        // The stricter of the two: a file that was private while it was read stays private in the report.
        PosixFileAttributes attributes = before.permissions().contains(PosixFilePermission.OTHERS_READ) ? after : before;
        return new Content(text == null ? null : text.toByteArray(), HexFormat.of().formatHex(digest.digest()), size,
                attributes);
    }

    private static ResourceException tooLarge(Path file, String purpose) {
        return new ResourceException(file + " is larger than 1 MiB; " + purpose + " reads files of up to 1 MiB");
    }

    /** What a path is, for a message: a directory, a symlink, or another special file. */
    static String kind(PosixFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        if (attributes.isSymbolicLink()) {
            return "a symlink";
        }
        return attributes.isOther() ? "a device, FIFO or socket" : "a regular file";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256; this is a bug in plumb", e);
        }
    }
}
