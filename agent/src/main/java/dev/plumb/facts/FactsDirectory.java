package dev.plumb.facts;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.CommandRunner;
import dev.plumb.system.FileErrors;
import dev.plumb.system.ProcessCommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The facts a host's administrator gives in {@code /etc/plumb/facts.d}, as Ansible's {@code facts.d} and Puppet's
 * external facts: {@code NAME.json} (any JSON value), {@code NAME.txt} ({@code KEY=VALUE} lines) and executables,
 * which print either. Each appears as {@code facts.custom.NAME}. The agent runs as root, so only what only root can
 * change is read or run: the directory, those above it and each file must be root's and writable by no group or
 * other user; anything else is skipped with a warning.
 */
final class FactsDirectory {

    static final String PATH = "etc/plumb/facts.d";
    /** A fact file, or what an executable prints, larger than this is no fact. */
    static final int SIZE_LIMIT = 64 * 1024;
    /** Files beyond this many are skipped: each executable may take {@link CommandFact#TIMEOUT}. */
    static final int FILE_LIMIT = 32;

    /** The facts read, and what was skipped and why. */
    record Found(Map<String, Object> facts, List<String> warnings) {
    }

    private final Path root;
    /** Made at the first executable: most hosts have none, and a run need not start what it does not use. */
    private CommandRunner runner;

    FactsDirectory(Path root) {
        this.root = root;
    }

    Found read() {
        Path directory = root.resolve(PATH);
        Map<String, Object> facts = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        List<Path> files;
        try {
            files = trustedFiles(directory, warnings);
        } catch (SkippedException e) {
            warnings.add(shown(directory) + " skipped: " + e.getMessage());
            return new Found(facts, warnings);
        }
        for (Path file : files) {
            String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            try {
                Object value = factOf(file);
                if (facts.containsKey(name)) {
                    warnings.add(shown(file) + " skipped: another file already gave the fact " + name);
                } else {
                    facts.put(name, value);
                }
            } catch (SkippedException e) {
                warnings.add(shown(file) + " skipped: " + e.getMessage());
            }
        }
        return new Found(facts, warnings);
    }

    /**
     * The first {@link #FILE_LIMIT} files of {@code directory} by name, hidden ones left out, once the directory and
     * those above it are found trustworthy; more files than that are a warning.
     */
    private List<Path> trustedFiles(Path directory, List<String> warnings) throws SkippedException {
        for (Path up = directory; up != null && up.startsWith(root); up = up.getParent()) {
            trusted(up, true, shown(up));
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listed = Files.newDirectoryStream(directory,
                file -> !file.getFileName().toString().startsWith("."))) {
            listed.forEach(files::add);
        } catch (IOException e) {
            throw new SkippedException("it cannot be listed: " + FileErrors.describe(e));
        }
        files.sort(null);
        if (files.size() > FILE_LIMIT) {
            warnings.add(shown(directory) + " holds " + files.size() + " files; only the first " + FILE_LIMIT
                    + " by name are read");
            return files.subList(0, FILE_LIMIT);
        }
        return files;
    }

    /** A file was not read or run, for the reason its message gives. */
    private static final class SkippedException extends Exception {
        SkippedException(String message) {
            super(message);
        }
    }

    private Object factOf(Path file) throws SkippedException {
        PosixFileAttributes attributes = trusted(file, false, "it");
        if (attributes.permissions().contains(PosixFilePermission.OWNER_EXECUTE)) {
            return parsed(run(file));
        }
        String name = file.getFileName().toString();
        if (!name.endsWith(".json") && !name.endsWith(".txt")) {
            throw new SkippedException("it is neither executable nor NAME.json or NAME.txt");
        }
        String content = readBounded(file);
        return name.endsWith(".json") ? json(content) : keyValues(content);
    }

    /**
     * The attributes of {@code path} when root may trust it: root's own, writable by no one else, and a directory
     * (or a regular file) itself, not a link to one; otherwise why not, of {@code subject}.
     */
    private static PosixFileAttributes trusted(Path path, boolean directory, String subject) throws SkippedException {
        PosixFileAttributes attributes;
        int uid;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new SkippedException(subject + " cannot be read: " + FileErrors.describe(e));
        }
        if (attributes.isSymbolicLink()) {
            throw new SkippedException(subject + " is a symbolic link");
        }
        if (directory ? !attributes.isDirectory() : !attributes.isRegularFile()) {
            throw new SkippedException(subject + " " + (directory ? "is not a directory" : "is not a regular file"));
        }
        if (uid != 0) {
            throw new SkippedException(subject + " is owned by uid " + uid + ", not root (chown root)");
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new SkippedException(subject + " is writable by its group or by others (chmod go-w)");
        }
        return attributes;
    }

    private String run(Path file) throws SkippedException {
        CommandResult result;
        try {
            if (runner == null) {
                runner = new ProcessCommandRunner();
            }
            result = runner.run(new Command(List.of(file.toString()), file.getParent(), Map.of(), CommandFact.TIMEOUT));
        } catch (IOException e) {
            throw new SkippedException("running it failed: " + e.getMessage());
        }
        if (!result.succeeded()) {
            throw new SkippedException("it exited " + result.exitCode() + ": " + result.evidence());
        }
        if (result.stdout().length() > SIZE_LIMIT) {
            throw new SkippedException("it printed more than " + (SIZE_LIMIT >> 10) + " KiB");
        }
        return result.stdout();
    }

    private static String readBounded(Path file) throws SkippedException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] content = in.readNBytes(SIZE_LIMIT + 1);
            if (content.length > SIZE_LIMIT) {
                throw new SkippedException("it is larger than " + (SIZE_LIMIT >> 10) + " KiB");
            }
            return new String(content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SkippedException("it cannot be read: " + FileErrors.describe(e));
        }
    }

    /** What an executable printed: a JSON object when it starts with '{', else KEY=VALUE lines. */
    private static Object parsed(String output) throws SkippedException {
        return output.strip().startsWith("{") ? json(output) : keyValues(output);
    }

    /** Parsed by a mapper of its own, made only for a host that has JSON facts: facts are below the catalog. */
    private static Object json(String content) throws SkippedException {
        try {
            return JsonMapper.builder().build().readValue(content, Object.class);
        } catch (JacksonException e) {
            throw new SkippedException("it is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** {@code KEY=VALUE} lines, as Puppet's external .txt facts; blank lines and {@code #} comments are skipped. */
    static Map<String, Object> keyValues(String content) throws SkippedException {
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> lines = content.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                throw new SkippedException("line " + (i + 1) + " is not KEY=VALUE: " + line);
            }
            values.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
        }
        return values;
    }

    private String shown(Path path) {
        return "/" + root.relativize(path);
    }
}
