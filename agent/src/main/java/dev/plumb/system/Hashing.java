package dev.plumb.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lowercase hex, the content address plumb uses everywhere. */
public final class Hashing {

    private Hashing() {
    }

    /** One digest per thread: looking the algorithm up for each of thousands of files costs more than hashing them. */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Hashing::newDigest);
    private static final int BUFFER = 64 * 1024;

    /** A SHA-256 digest of its own, for a caller that feeds it while doing something else with the bytes. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256; this is a bug in plumb", e);
        }
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(DIGEST.get().digest(bytes));
    }

    /** The hash of a regular file's content, streamed, read without following a symlink in its place or above it. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = SafePaths.openWithoutFollowing(file)) {
            return sha256(in);
        }
    }

    /** The hash of everything {@code in} holds, streamed: a file of any size is hashed in a buffer's worth of memory. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest digest = DIGEST.get();
        digest.reset();
        byte[] buffer = new byte[BUFFER];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            digest.update(buffer, 0, read);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The lowercase hex of a finished digest. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
