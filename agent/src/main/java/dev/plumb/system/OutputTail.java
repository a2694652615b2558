package dev.plumb.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a stream to its end but keeps only its last {@code limit} bytes, so that a command printing gigabytes
 * costs a bounded amount of memory; what was dropped is said in a first line.
 */
final class OutputTail {

    private final int limit;
    private byte[] ring = new byte[8192];
    private long total;

    OutputTail(int limit) {
        this.limit = limit;
    }

    /** Drains {@code stream} to its end and closes it. */
    OutputTail drain(InputStream stream) throws IOException {
        try (stream) {
            byte[] buffer = new byte[8192];
            for (int n; (n = stream.read(buffer)) >= 0; ) {
                keep(buffer, n);
            }
        }
        return this;
    }

    private void keep(byte[] buffer, int length) {
        // Grows like a ByteArrayOutputStream up to the limit (before wrapping, bytes sit at their offsets); then wraps.
        if (total + length > ring.length && ring.length < limit) {
            ring = Arrays.copyOf(ring, (int) Math.min(limit, Math.max(2L * ring.length, total + length)));
        }
        for (int i = 0; i < length; ) {
            int position = (int) (total % ring.length);
            int chunk = Math.min(length - i, ring.length - position);
            System.arraycopy(buffer, i, ring, position, chunk);
            i += chunk;
            total += chunk;
        }
    }

    /** The kept bytes as text, after a line saying how much came before them when not everything was kept. */
    String text() {
        if (total <= ring.length) {
            return new String(ring, 0, (int) total, StandardCharsets.UTF_8);
        }
        int start = (int) (total % ring.length);
        byte[] tail = new byte[ring.length];
        System.arraycopy(ring, start, tail, 0, ring.length - start);
        System.arraycopy(ring, 0, tail, ring.length - start, start);
        return "[" + (total - ring.length) + " earlier bytes not kept]\n" + new String(tail, StandardCharsets.UTF_8);
    }
}
