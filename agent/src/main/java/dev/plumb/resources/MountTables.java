package dev.plumb.resources;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The two tables the {@code mount} type reads: /etc/fstab, the mounts of the next boot, edited line by line so that
 * every other line stays as it was; and /proc/self/mountinfo, the mounts in force. Both write a space in a path as
 * {@code \040}, as mount(8) reads it.
 */
final class MountTables {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");
    private static final Pattern WHITESPACE = Pattern.compile("[ \\t]+");

    private MountTables() {
    }

    /** One line of fstab: the file system, where it is mounted, its type and options, and the dump and fsck fields. */
    record FstabEntry(String device, String mountPoint, String fstype, String options, String dump, String pass) {

        /** The line as plumb writes it, fields separated by one space. */
        String line() {
            return String.join(" ", escape(device), escape(mountPoint), fstype, options, dump, pass);
        }

        /** Whether mount reads both the same, whatever whitespace separates their fields. */
        boolean sameAs(FstabEntry other) {
            return line().equals(other.line());
        }

        /** The entry a line holds; null for a comment, a blank line or one too short to be an entry. */
        static FstabEntry parse(String line) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                return null;
            }
            String[] fields = WHITESPACE.split(trimmed);
            if (fields.length < 3) {
                return null;
            }
            return new FstabEntry(unescape(fields[0]), unescape(fields[1]), fields[2],
                    fields.length > 3 ? fields[3] : "defaults", fields.length > 4 ? fields[4] : "0",
                    fields.length > 5 ? fields[5] : "0");
        }
    }

    /** The lines of an fstab, as read, to find and replace the entries of one mount point. */
    record Fstab(List<String> lines) {

        static Fstab parse(String text) {
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            if (lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return new Fstab(lines);
        }

        /** The numbers (from 0) of the lines that mount something on {@code mountPoint}. */
        List<Integer> linesOf(String mountPoint) {
            return IntStream.range(0, lines.size()).filter(i -> {
                FstabEntry entry = FstabEntry.parse(lines.get(i));
                return entry != null && entry.mountPoint().equals(mountPoint);
            }).boxed().toList();
        }

        FstabEntry entry(int line) {
            return FstabEntry.parse(lines.get(line));
        }

        /** The text with line {@code line} replaced by {@code entry}, or with {@code entry} appended when it is -1. */
        String with(int line, FstabEntry entry) {
            List<String> result = new ArrayList<>(lines);
            if (line < 0) {
                result.add(entry.line());
            } else {
                result.set(line, entry.line());
            }
            return text(result);
        }

        /** The text without the lines of {@code mountPoint}; every other line stays. */
        String without(String mountPoint) {
            List<Integer> dropped = linesOf(mountPoint);
            List<String> result = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (!dropped.contains(i)) {
                    result.add(lines.get(i));
                }
            }
            return text(result);
        }

        private static String text(List<String> lines) {
            return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
        }
    }

    /** A file system mounted now: its type, where it comes from, and its options. */
    record Mounted(String fstype, String source, String options) {
    }

    /**
     * What is mounted on {@code mountPoint} now, the last mount there (the one that is seen) when several are stacked;
     * empty when nothing is.
     */
    static Optional<Mounted> mounted(String mountPoint) throws IOException {
        String text;
        try (InputStream in = Files.newInputStream(MOUNTINFO)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Mounted found = null;
        for (String line : text.split("\n")) {
            // ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS [OPTIONAL FIELDS...] - FSTYPE SOURCE SUPER-OPTIONS
            int separator = line.indexOf(" - ");
            if (separator < 0) {
                continue;
            }
            String[] before = line.substring(0, separator).split(" ");
            String[] after = line.substring(separator + 3).split(" ");
            if (before.length >= 6 && after.length >= 2 && unescape(before[4]).equals(mountPoint)) {
                found = new Mounted(after[0], unescape(after[1]), before[5]);
            }
        }
        return Optional.ofNullable(found);
    }

    static String escape(String field) {
        return field.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011");
    }

    static String unescape(String field) {
        Matcher matcher = OCTAL_ESCAPE.matcher(field);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, Matcher.quoteReplacement(
                    String.valueOf((char) Integer.parseInt(matcher.group(1), 8))));
        }
        return matcher.appendTail(result).toString();
    }
}
