package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.Change;
import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.Removable;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.Hashing;
import dev.plumb.system.SafePaths;
import dev.plumb.system.UnifiedDiff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code apt_repository: NAME} — an APT source in deb822 form, {@code /etc/apt/sources.list.d/NAME.sources}, with its
 * signing key, ASCII-armored, at {@code /etc/apt/keyrings/NAME.asc} (which apt 2.4 and later read as they are, so no
 * gpg is needed) and named by {@code Signed-By}, so that the key vouches for this source only. When the source or
 * its key changed, {@code apt-get update} fetches that source alone; if apt refuses it (a wrong key, a URI that does
 * not answer), both files are put back as they were, so that a broken source never stays to fail every later update.
 */
public record AptRepositoryResource(
        @Attribute(doc = "the source's name: its file is /etc/apt/sources.list.d/NAME.sources, its key /etc/apt/keyrings/NAME.asc")
        String name,
        @Attribute(doc = "present (default) or absent, which removes the source and its key",
                defaultValue = "present", values = {"present", "absent"})
        String ensure,
        @Attribute(doc = "the repository's URIs, such as [https://nginx.org/packages/debian]") List<String> uris,
        @Attribute(doc = "the suites, such as [bookworm]; a flat repository's is a path ending in /, such as [./]")
        List<String> suites,
        @Attribute(doc = "the components, such as [main]; none for a flat repository") List<String> components,
        @Attribute(doc = "the architectures to fetch, such as [amd64, arm64]; left out, the host's") List<String> architectures,
        @Attribute(doc = "the repository's signing key, ASCII-armored (-----BEGIN PGP PUBLIC KEY BLOCK-----)",
                form = Attribute.Form.ANY_TEXT)
        String key)
        implements Resource, Removable {

    static final Path SOURCES = Path.of("/etc/apt/sources.list.d");
    static final Path KEYRINGS = Path.of("/etc/apt/keyrings");
    private static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(10);
    private static final FileAttributes READABLE_BY_ALL = new FileAttributes("0644", "root", "root");
    /** The names apt reads in sources.list.d: any other file there is ignored, with a notice. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*");
    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final String KEY_BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
    private static final String KEY_END = "-----END PGP PUBLIC KEY BLOCK-----";

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.oneOf(problems, "ensure", ensure, "present", "absent");
        if (!NAME.matcher(name).matches()) {
            problems.add(Diagnostic.ofAttribute("name", "'" + name + "' is not a name apt reads in sources.list.d; "
                    + "expected letters, digits, '_', '-' and '.', such as nginx"));
        }
        if (removes()) {
            return problems;
        }
        words(problems, "uris", uris, true);
        words(problems, "suites", suites, true);
        words(problems, "components", components, false);
        words(problems, "architectures", architectures, false);
        boolean flat = suites != null && suites.stream().anyMatch(suite -> suite.endsWith("/"));
        if (flat && components != null && !components.isEmpty()) {
            problems.add(Diagnostic.ofAttribute("components", "must be left out for a flat repository (a suite ending in /)"));
        } else if (!flat && suites != null && (components == null || components.isEmpty())) {
            problems.add(Diagnostic.ofAttribute("components", "is required unless the suite is a path ending in /; "
                    + "give them, such as [main]"));
        }
        if (key == null) {
            problems.add(Diagnostic.ofAttribute("key", "is required: a repository is trusted only with its signing key; "
                    + "give the ASCII-armored public key"));
        } else if (!key.strip().startsWith(KEY_BEGIN) || !key.strip().endsWith(KEY_END)) {
            problems.add(Diagnostic.ofAttribute("key", "is not an ASCII-armored public key; expected text from " + KEY_BEGIN
                    + " to " + KEY_END + ", as 'gpg --armor --export' prints it"));
        }
        return problems;
    }

    /** Each value one word: deb822 separates them by spaces. */
    private static void words(List<Diagnostic> problems, String attribute, List<String> values, boolean required) {
        if (values == null || values.isEmpty()) {
            if (required) {
                problems.add(Diagnostic.ofAttribute(attribute, "is required: give at least one"));
            }
            return;
        }
        for (String value : values) {
            if (!WORD.matcher(value).matches()) {
                problems.add(Diagnostic.ofAttribute(attribute, "'" + value + "' is not one word; give each value as "
                        + "its own list item"));
            }
        }
    }

    @Override
    public boolean removes() {
        return "absent".equals(ensure);
    }

    Path sourcesFile() {
        return SOURCES.resolve(name + ".sources");
    }

    Path keyFile() {
        return KEYRINGS.resolve(name + ".asc");
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        byte[] currentSources = readOrNull(sourcesFile());
        byte[] currentKey = readOrNull(keyFile());
        Change change = new Change();
        if (removes()) {
            for (Path file : List.of(sourcesFile(), keyFile())) {
                if (Files.exists(file)) {
                    change.add(Action.REMOVE, file.equals(keyFile()) ? "key" : "sources", file.toString(), null, "remove " + file);
                    if (apply) {
                        change.backup(context.backups().save(file));
                        Tree.delete(file);
                    }
                }
            }
            return change;
        }
        byte[] sources = deb822().getBytes(StandardCharsets.UTF_8);
        byte[] armoredKey = (key.strip() + "\n").getBytes(StandardCharsets.UTF_8);
        describe(change, sourcesFile(), "sources", currentSources, sources);
        describe(change, keyFile(), "key", currentKey, armoredKey);
        if (currentSources != null && !Arrays.equals(currentSources, sources)) {
            change.diff(UnifiedDiff.of(sourcesFile().toString(), currentSources, sources));
        }
        if (apply && change.isNeeded()) {
            Files.createDirectories(KEYRINGS);
            // The key first: a source is never live naming a key that is not there yet.
            AtomicFiles.write(keyFile(), armoredKey, READABLE_BY_ALL);
            AtomicFiles.write(sourcesFile(), sources, READABLE_BY_ALL);
            CommandResult update = context.commands().run(new Command(List.of("apt-get", "update",
                    "-o", "Dir::Etc::sourcelist=" + sourcesFile(), "-o", "Dir::Etc::sourceparts=-",
                    "-o", "APT::Get::List-Cleanup=0"), null, Map.of(), UPDATE_TIMEOUT));
            String refused = refusal(update);
            if (refused != null) {
                restore(keyFile(), currentKey);
                restore(sourcesFile(), currentSources);
                String undone = currentSources == null && currentKey == null ? "were removed again" : "were put back as they were";
                throw new ResourceException("apt-get update refused the source " + name + " (exit " + update.exitCode()
                        + "); " + sourcesFile() + " and " + keyFile() + " " + undone + ":\n" + refused);
            }
        }
        return change;
    }

    /** Notes that {@code file} is created or changes, naming the content by its hash. */
    private static void describe(Change change, Path file, String attribute, byte[] current, byte[] desired) {
        if (current == null) {
            change.add(Action.CREATE, attribute, null, Hashing.sha256(desired), "create " + file);
        } else if (!Arrays.equals(current, desired)) {
            change.add(Action.CHANGE, attribute, Hashing.sha256(current), Hashing.sha256(desired), "change " + file);
        }
    }

    /** What apt said against the source, or null when it fetched it: an error, or a warning about its signature or fetch. */
    private static String refusal(CommandResult update) {
        List<String> complaints = new ArrayList<>();
        for (String line : (update.stdout() + "\n" + update.stderr()).split("\n")) {
            if (line.startsWith("E: ") || line.startsWith("W: GPG error") || line.startsWith("W: Failed to fetch")
                    || line.startsWith("Err:")) {
                complaints.add(line);
            }
        }
        if (complaints.isEmpty() && !update.succeeded()) {
            complaints.add(update.evidence());
        }
        return complaints.isEmpty() ? null : String.join("\n", complaints);
    }

    /** The source as deb822 writes it, its key named by Signed-By. */
    String deb822() {
        StringBuilder text = new StringBuilder("Types: deb\n");
        text.append("URIs: ").append(String.join(" ", uris)).append('\n');
        text.append("Suites: ").append(String.join(" ", suites)).append('\n');
        if (components != null && !components.isEmpty()) {
            text.append("Components: ").append(String.join(" ", components)).append('\n');
        }
        if (architectures != null && !architectures.isEmpty()) {
            text.append("Architectures: ").append(String.join(" ", architectures)).append('\n');
        }
        return text.append("Signed-By: ").append(keyFile()).append('\n').toString();
    }

    private static byte[] readOrNull(Path file) throws IOException {
        try {
            return SafePaths.readWithoutFollowing(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Puts {@code file} back to {@code content}, or removes it when it was not there. */
    private static void restore(Path file, byte[] content) throws IOException, ResourceException {
        if (content != null) {
            AtomicFiles.write(file, content, READABLE_BY_ALL);
        } else if (Files.exists(file)) {
            Tree.delete(file);
        }
    }
}
