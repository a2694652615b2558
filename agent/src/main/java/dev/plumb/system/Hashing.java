package dev.plumb.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as lowercase hex, the content address plumb uses everywhere. */
public final class Hashing {

    private Hashing() {
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256; this is a bug in plumb", e);
        }
    }

    public static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }
}
