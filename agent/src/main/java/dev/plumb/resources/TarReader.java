package dev.plumb.resources;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A reader of tar streams as GNU tar, bsdtar and Python write them: ustar headers (name with prefix), pax extended
 * headers ({@code path}, {@code linkpath}, {@code size}; global ones ignored) and GNU long names and link names. Every
 * header's checksum is verified, and sizes are bounded by what octal fields hold (8 GiB); base-256 sizes are refused.
 * Written here rather than running {@code tar}, so that what is extracted is exactly what {@link Extraction} judged,
 * whatever tar the host has and however it treats links, owners and set-id bits.
 */
final class TarReader {

    private static final int BLOCK = 512;
    /** Extended headers are small; a larger one is an attack on memory, not a long file name. */
    private static final int MAX_EXTENDED_HEADER = 1 << 20;

    private final InputStream in;

    TarReader(InputStream in) {
        this.in = in;
    }

    /** Hands every entry to {@code visitor} with a stream of exactly its content. */
    void forEach(Archive.Visitor visitor) throws IOException {
        Map<String, String> extended = new HashMap<>();
        boolean any = false;
        byte[] header = new byte[BLOCK];
        while (readBlock(header)) {
            if (isZero(header)) {
                break;
            }
            requireChecksum(header);
            any = true;
            char type = (char) header[156];
            long size = octal(header, 124, 12, "size");
            switch (type) {
                case 'x' -> extended.putAll(pax(new String(readContent(size), StandardCharsets.UTF_8)));
                case 'g' -> readContent(size);
                case 'L' -> extended.put("path", cString(readContent(size), 0, (int) size));
                case 'K' -> extended.put("linkpath", cString(readContent(size), 0, (int) size));
                default -> {
                    String name = extended.getOrDefault("path", ustarName(header));
                    String link = extended.getOrDefault("linkpath", cString(header, 157, 100));
                    if (extended.containsKey("size")) {
                        size = parseSize(extended.get("size"));
                    }
                    extended.clear();
                    Archive.Kind kind = kind(type);
                    long contentSize = kind == Archive.Kind.FILE ? size : 0;
                    Bounded content = new Bounded(in, contentSize);
                    visitor.visit(new Archive.Entry(name, kind, link.isEmpty() ? null : link,
                            (int) octal(header, 100, 8, "mode") & 07777, contentSize), content);
                    content.skipRest();
                    skipPadding(contentSize);
                }
            }
        }
        if (!any) {
            throw new Archive.Malformed("holds no tar entries (empty, or not a tar file)");
        }
    }

    private static Archive.Kind kind(char type) {
        return switch (type) {
            case '0', '\0', '7' -> Archive.Kind.FILE;
            case '5' -> Archive.Kind.DIRECTORY;
            case '2' -> Archive.Kind.SYMLINK;
            case '1' -> Archive.Kind.HARDLINK;
            default -> Archive.Kind.OTHER;
        };
    }

    /** A ustar name: the prefix (when the magic says ustar) and the name, joined by a slash. */
    private static String ustarName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The records of a pax header, {@code "LENGTH KEY=VALUE\n"} each. */
    private static Map<String, String> pax(String text) throws Archive.Malformed {
        Map<String, String> records = new HashMap<>();
        int at = 0;
        while (at < text.length()) {
            int space = text.indexOf(' ', at);
            int length;
            try {
                length = Integer.parseInt(text.substring(at, space));
            } catch (RuntimeException e) {
                throw new Archive.Malformed("has a malformed pax header");
            }
            if (length <= 0 || at + length > text.length()) {
                throw new Archive.Malformed("has a malformed pax header");
            }
            String record = text.substring(space + 1, at + length - 1);
            int equals = record.indexOf('=');
            if (equals > 0) {
                records.put(record.substring(0, equals), record.substring(equals + 1));
            }
            at += length;
        }
        return records;
    }

    private static long parseSize(String value) throws Archive.Malformed {
        try {
            long size = Long.parseLong(value);
            if (size >= 0) {
                return size;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new Archive.Malformed("has a pax size '" + value + "' that is not a size");
    }

    private byte[] readContent(long size) throws IOException {
        if (size > MAX_EXTENDED_HEADER) {
            throw new Archive.Malformed("has an extended header of " + size + " bytes; at most " + MAX_EXTENDED_HEADER);
        }
        byte[] content = in.readNBytes((int) size);
        if (content.length < size) {
            throw truncated();
        }
        skipPadding(size);
        return content;
    }

    private void skipPadding(long size) throws IOException {
        skip(in, (BLOCK - size % BLOCK) % BLOCK);
    }

    private boolean readBlock(byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, BLOCK);
        if (read == 0) {
            return false;
        }
        if (read < BLOCK) {
            throw truncated();
        }
        return true;
    }

    private static void requireChecksum(byte[] header) throws Archive.Malformed {
        long expected = octal(header, 148, 8, "checksum");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
        }
        if (sum != expected) {
            throw new Archive.Malformed("has a tar header with a wrong checksum (not a tar file, or damaged)");
        }
    }

    /** An octal field, NUL- or space-terminated. */
    private static long octal(byte[] header, int offset, int length, String field) throws Archive.Malformed {
        if ((header[offset] & 0x80) != 0) {
            throw new Archive.Malformed("has a " + field + " in base-256 (an entry of 8 GiB or more); plumb refuses it");
        }
        long value = 0;
        for (int i = offset; i < offset + length && header[i] != 0; i++) {
            char c = (char) header[i];
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '7') {
                throw new Archive.Malformed("has a tar header whose " + field + " is not octal (not a tar file?)");
            }
            value = value * 8 + (c - '0');
        }
        return value;
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        try {
            in.skipNBytes(bytes);
        } catch (EOFException e) {
            throw truncated();
        }
    }

    private static Archive.Malformed truncated() {
        return new Archive.Malformed("ends in the middle of an entry (truncated)");
    }

    /** Exactly {@code size} bytes of the tar stream: an entry's content, which its reader may leave unread. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left == 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, left));
            if (read < 0) {
                throw truncated();
            }
            left -= read;
            return read;
        }

        void skipRest() throws IOException {
            TarReader.skip(in, left);
            left = 0;
        }
    }
}
