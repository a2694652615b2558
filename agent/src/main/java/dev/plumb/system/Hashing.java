package dev.plumb.system;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lowercase hex, the content address plumb uses everywhere. */
public final class Hashing {

    private Hashing() {
    }

    /** One digest per thread: looking the algorithm up for each of thousands of files costs more than hashing them. */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256; this is a bug in plumb", e);
        }
    });

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(DIGEST.get().digest(bytes));
    }

    /** The hash of a regular file's content, read without following a symlink in its place. */
    public static String sha256(Path file) throws IOException {
        return sha256(SafePaths.readWithoutFollowing(file));
    }
}
