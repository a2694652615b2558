package dev.plumb.compiler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the files of a project (YAML, templates, {@code files/}) with the limits that keep a hostile or
 * mistaken input from hanging or exhausting plumb: regular files only, at most {@link #MAX_BYTES}, and text
 * that must be UTF-8 is decoded strictly, naming the line and column of the first bad byte.
 */
final class InputFiles {

    /** The largest file plumb reads; far above any hand-written or generated project file. */
    static final int MAX_BYTES = 64 << 20;

    /** Why a file cannot be read; its message completes "FILE ..." (as "is a FIFO, not a regular file"). */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private InputFiles() {
    }

    /**
     * The bytes of a regular file of at most {@link #MAX_BYTES}. A FIFO or a device is refused from its
     * attributes, without being opened: opening a FIFO would block and a device may never end. The size is
     * checked again while reading, since a file can grow after its attributes were read.
     */
    static byte[] read(Path path) throws Unreadable {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new Unreadable("cannot be read: " + reason(e));
        }
        if (!attributes.isRegularFile()) {
            throw new Unreadable("is " + (attributes.isDirectory() ? "a directory" : "a FIFO, socket or device")
                    + ", not a regular file; plumb reads only regular files");
        }
        if (attributes.size() > MAX_BYTES) {
            throw tooLarge(attributes.size());
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw tooLarge(bytes.length);
            }
            return bytes;
        } catch (IOException e) {
            throw new Unreadable("cannot be read: " + reason(e));
        }
    }

    /**
     * The bytes of {@code directory/name} in a project, such as {@code files/app.conf}, refused when the name
     * or a link on its way leads outside the project: a link in {@code files/} to a root-only file of the
     * machine that compiles would otherwise put that file into a catalog and its plan.
     */
    static byte[] readInside(Path realProject, String directory, String name) throws Unreadable {
        Path path = realProject.resolve(directory).resolve(name).normalize();
        if (!path.startsWith(realProject.resolve(directory))) {
            throw new Unreadable("points outside " + directory + "/; name a file inside it");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new Unreadable("cannot be read: " + reason(e));
        }
        if (!real.startsWith(realProject)) {
            throw new Unreadable("is a link to " + real + ", outside the project; plumb reads only files inside "
                    + "the project: copy the file into " + directory + "/");
        }
        return read(real);
    }

    private static Unreadable tooLarge(long size) {
        return new Unreadable("is " + size + " bytes, more than the limit of " + MAX_BYTES + " bytes (64 MiB)");
    }

    private static String reason(IOException e) {
        return e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
    }

    /** The bytes as UTF-8 text, or where the first byte that is not UTF-8 is. */
    static String utf8(byte[] bytes) throws NotUtf8 {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            out.flip();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < out.limit(); i++) {
                if (out.get(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new NotUtf8(line, out.limit() - lineStart + 1, in.position());
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** The text is not UTF-8: the first bad byte is at a line and column counted from 1, as an editor shows them. */
    static final class NotUtf8 extends Exception {
        final int line;
        final int column;

        NotUtf8(int line, int column, long offset) {
            super("not UTF-8 text: byte " + offset + " (counting from 0) is not valid UTF-8; save the file as UTF-8");
            this.line = line;
            this.column = column;
        }
    }
}
