package dev.plumb.resources;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The entries of an archive, read in one pass as a stream: tar (ustar, pax and GNU long names, through
 * {@link TarReader}), tar.gz, or zip (files and directories only: java.util.zip does not see a zip's Unix modes or
 * links). Reading judges nothing: {@link Extraction} decides what may be written.
 */
final class Archive {

    /** What an entry is; {@link #OTHER} (a device, a FIFO) is never extracted. */
    enum Kind { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }

    /**
     * One entry as the archive names it: {@code link} is a link's target, {@code mode} the permission bits the archive
     * gives (0 when it gives none), {@code size} the content's length, or -1 when the format tells it only by reading.
     */
    record Entry(String name, Kind kind, String link, int mode, long size) {
    }

    /** Receives each entry with its content, which it may read or leave. */
    @FunctionalInterface
    interface Visitor {
        void visit(Entry entry, InputStream content) throws IOException;
    }

    /** An archive that is not what its format says, named as the user wrote the format. */
    static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    private Archive() {
    }

    /** Reads every entry of {@code file}, an archive in {@code format} ({@code tar}, {@code tar.gz} or {@code zip}). */
    static void read(Path file, String format, Visitor visitor) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS))) {
            switch (format) {
                case "zip" -> readZip(in, visitor);
                case "tar.gz" -> new TarReader(gunzip(in)).forEach(visitor);
                case "tar" -> new TarReader(in).forEach(visitor);
                default -> throw new IllegalStateException("extract: " + format + " passed validation; this is a bug in plumb");
            }
        }
    }

    private static InputStream gunzip(InputStream in) throws IOException {
        try {
            return new GZIPInputStream(in);
        } catch (java.util.zip.ZipException e) {
            throw new Malformed("is not gzip-compressed (" + e.getMessage() + "); is it extract: tar or zip?");
        }
    }

    private static void readZip(InputStream in, Visitor visitor) throws IOException {
        ZipInputStream zip = new ZipInputStream(in);
        int entries = 0;
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            entries++;
            Kind kind = entry.isDirectory() ? Kind.DIRECTORY : Kind.FILE;
            visitor.visit(new Entry(entry.getName(), kind, null, kind == Kind.DIRECTORY ? 0755 : 0644, -1),
                    new FilterInputStream(zip) {
                        @Override
                        public void close() {
                            // The next entry closes this one; the zip stays open.
                        }
                    });
        }
        if (entries == 0) {
            throw new Malformed("holds no zip entries (not a zip file?)");
        }
    }
}
