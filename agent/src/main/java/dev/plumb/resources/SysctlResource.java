package dev.plumb.resources;

import dev.plumb.api.Attribute;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.PathBound;
import dev.plumb.api.Removable;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Suggestions;
import dev.plumb.system.FileErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code sysctl: KEY} — a kernel parameter, set now through /proc/sys and kept for the next boot in a file of its own,
 * /etc/sysctl.d/99-zz-plumb-KEY.conf, which sorts after every other file there (/etc/sysctl.conf among them), so its
 * value is the one the host boots with. The value is compared as sysctl compares it, words separated by any
 * whitespace, and read back after writing: a value the kernel refuses or changes fails the resource and is not kept.
 * Absent, the file goes and the value the kernel has now stays.
 */
public record SysctlResource(
        @Attribute(doc = "the key, dotted as sysctl names it, such as net.ipv4.ip_forward") String name,
        @Attribute(doc = "present (default) or absent: the file that keeps the value goes, the value in force stays",
                defaultValue = "present", values = {"present", "absent"})
        String ensure,
        @Attribute(doc = "the value, such as 1 or \"1024 65000\"; words may be separated by any whitespace")
        String value) implements Resource, PathBound, Removable {

    private static final Path PROC_SYS = Path.of("/proc/sys");
    private static final String PERSIST_DIRECTORY = "/etc/sysctl.d";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_:@-]+)+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        if (!KEY.matcher(name).matches()) {
            problems.add(Diagnostic.ofAttribute("name", "'" + name + "' is not a sysctl key; expected words of letters, "
                    + "digits, _ and - joined by dots, such as net.ipv4.ip_forward"));
        }
        Rules.oneOf(problems, "ensure", ensure, "present", "absent");
        if (removes() && value != null) {
            problems.add(Diagnostic.ofAttribute("value", "has no meaning for a sysctl that is absent"));
        } else if (!removes() && (value == null || normal(value).isEmpty())) {
            problems.add(Diagnostic.ofAttribute("value", "is required: the value the key takes, such as 1"));
        } else if (value != null && value.contains("\n")) {
            problems.add(Diagnostic.ofAttribute("value", "holds a newline; a sysctl file takes one line per key"));
        }
        return problems;
    }

    @Override
    public String path() {
        return PERSIST_DIRECTORY + "/99-zz-plumb-" + name + ".conf";
    }

    @Override
    public boolean ownsPath() {
        return true;
    }

    @Override
    public boolean removes() {
        return "absent".equals(ensure);
    }

    /**
     * Sets the value in force first, then keeps it: a value the kernel refuses is never written for the next boot.
     */
    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        Change change = new Change();
        if (!removes()) {
            Path key = keyPath();
            String current = normal(read(key));
            if (!current.equals(normal(value))) {
                change.changed("value", current, normal(value));
                if (apply) {
                    write(key);
                }
            }
        }
        return DelegatedChanges.include(change, path(), persistedFile().converge(context, apply));
    }

    /** The file that keeps the value for the next boot, written as a file resource writes its content. */
    private FileResource persistedFile() {
        if (removes()) {
            return FileResource.absent(path());
        }
        return FileResource.text(path(), name + " = " + normal(value) + "\n", "0644", null, null);
    }

    /** The key's file under /proc/sys; fails, with the closest key the kernel has, when there is none. */
    private Path keyPath() throws IOException, ResourceException {
        Path key = PROC_SYS.resolve(name.replace('.', '/'));
        if (Files.isRegularFile(key, LinkOption.NOFOLLOW_LINKS)) {
            return key;
        }
        if (Files.isDirectory(key, LinkOption.NOFOLLOW_LINKS)) {
            throw new ResourceException(name + " is a group of keys (" + key + " is a directory); name one key in it, "
                    + "such as " + name + "." + firstEntry(key));
        }
        throw new ResourceException("the kernel has no key " + name + " (" + key + " does not exist); 'sysctl -a' lists "
                + "the keys, and a module may have to be loaded first" + Suggestions.didYouMean(name, siblings(key)));
    }

    /** The keys beside {@code key} in its nearest directory that exists, to suggest one that is close. */
    private static List<String> siblings(Path key) throws IOException {
        Path directory = key.getParent();
        while (!Files.isDirectory(directory) && directory.startsWith(PROC_SYS) && !directory.equals(PROC_SYS)) {
            directory = directory.getParent();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> PROC_SYS.relativize(entry).toString().replace('/', '.')).toList();
        }
    }

    private static String firstEntry(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().findFirst().orElse("...");
        }
    }

    /**
     * The key's value, read in one go: the kernel answers a read that does not start at offset 0 with nothing, so
     * {@link Files#readString}, which reads the first byte of a file of size 0 on its own, would see only that byte.
     */
    private String read(Path key) throws ResourceException {
        try (InputStream in = Files.newInputStream(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ResourceException("cannot read " + name + " from " + key + ": " + FileErrors.describe(e));
        }
    }

    /** Writes the value to the kernel, then reads it back: the kernel may refuse it, or keep another. */
    private void write(Path key) throws ResourceException {
        try {
            Files.writeString(key, normal(value), StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ResourceException("the kernel refused '" + normal(value) + "' for " + name + " (" + key + "): "
                    + FileErrors.describe(e));
        }
        String kept = normal(read(key));
        if (!kept.equals(normal(value))) {
            throw new ResourceException("the kernel took '" + normal(value) + "' for " + name + " as '" + kept + "'; "
                    + "give the value as the kernel shows it");
        }
    }

    /** A value as sysctl compares it: words separated by one space, without leading or trailing whitespace. */
    static String normal(String value) {
        return WHITESPACE.matcher(value.strip()).replaceAll(" ");
    }
}
