package dev.plumb.checks;

import dev.plumb.api.Attribute;
import dev.plumb.api.Check;
import dev.plumb.api.CheckContext;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Verdict;
import dev.plumb.resources.Rules;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.Secrecy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code file: PATH} — what is at a path: that it exists (a file, a directory, through symlinks), its mode, owner
 * and group, and for a regular file what its content contains, matches or hashes to (contains and matches read
 * files of up to 1 MiB). A failing content check shows the file's first lines, unless the file is sensitive:
 * marked so, or by {@link Secrecy}'s rule (a private key, a well-known secret such as {@code /etc/shadow}, or a file
 * not every user may read, in a directory not every user may enter included).
 */
public record FileCheck(
        @Attribute(doc = "absolute path") String path,
        @Attribute(doc = "whether something must be there (default) or must not", defaultValue = "true") Boolean exists,
        @Attribute(doc = "octal mode such as \"0640\"", form = Attribute.Form.FILE_MODE) String mode,
        @Attribute(doc = "user name") String owner,
        @Attribute(doc = "group name") String group,
        @Attribute(doc = "text the content must contain") String contains,
        @Attribute(doc = "a regular expression the content must match somewhere") String matches,
        @Attribute(doc = "the SHA-256 of the whole content, in hex") String sha256,
        @Attribute(doc = "never show the content") Boolean sensitive) implements Check {

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.normalPath(problems, null, path);
        Rules.mode(problems, mode);
        Patterns.validate(problems, "matches", matches);
        if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
            problems.add(Diagnostic.ofAttribute("sha256", "'" + sha256 + "' is not a SHA-256; expected 64 hex digits, "
                    + "as sha256sum prints them"));
        }
        if (Boolean.FALSE.equals(exists) && (mode != null || owner != null || group != null || readsContent())) {
            problems.add(Diagnostic.ofAttribute("exists", "a path that must not exist has no mode, owner, group or "
                    + "content to check; leave those out"));
        }
        return problems;
    }

    private boolean readsContent() {
        return contains != null || matches != null || sha256 != null;
    }

    @Override
    public Verdict verify(CheckContext context, Duration timeout) throws IOException, ResourceException {
        Verdict verdict = new Verdict();
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(Path.of(path), PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            attributes = null;
        }
        boolean wanted = exists == null || exists;
        if (attributes == null || !wanted) {
            if (wanted != (attributes != null)) {
                verdict.mismatch("exists", String.valueOf(wanted), attributes == null ? "nothing at " + path
                        : (attributes.isDirectory() ? "a directory" : "a file") + " at " + path);
            }
            return verdict;
        }
        String currentMode = FileAttributes.mode(attributes.permissions());
        if (mode != null && !currentMode.equals(mode.length() == 3 ? "0" + mode : mode)) {
            verdict.mismatch("mode", mode.length() == 3 ? "0" + mode : mode, currentMode);
        }
        if (owner != null && !owner.equals(attributes.owner().getName())) {
            verdict.mismatch("owner", owner, attributes.owner().getName());
        }
        if (group != null && !group.equals(attributes.group().getName())) {
            verdict.mismatch("group", group, attributes.group().getName());
        }
        if (!readsContent()) {
            return verdict;
        }
        if (!attributes.isRegularFile()) {
            String kind = attributes.isDirectory() ? "a directory" : "not a regular file";
            return verdict.mismatch(contains != null ? "contains" : matches != null ? "matches" : "sha256",
                    "a regular file to read", kind);
        }
        // The symlinks on the way are resolved once, and the file at the end is read without following another.
        Path file = Path.of(path).toRealPath();
        CheckFiles.Content content = CheckFiles.read(file, contains != null || matches != null,
                "a file check with contains or matches");
        String text = content.text() == null ? null : new String(content.text(), StandardCharsets.UTF_8);
        String hiddenBecause = Secrecy.hiddenBecause(file, content.attributes(), content.text(),
                Boolean.TRUE.equals(sensitive));
        if (contains != null && !text.contains(contains)) {
            verdict.mismatch("contains", Evidence.quote(contains), "content without it (" + content.size() + " bytes)");
        }
        if (matches != null && !Patterns.findsIn(matches, text)) {
            verdict.mismatch("matches", "a match for " + Evidence.quote(matches), "none in the content ("
                    + content.size() + " bytes)");
        }
        if (sha256 != null && !sha256.equalsIgnoreCase(content.sha256())) {
            verdict.mismatch("sha256", sha256.toLowerCase(), hiddenBecause == null ? content.sha256()
                    : "another hash (not shown: " + path + " " + hiddenBecause + ")");
        }
        if (hiddenBecause != null) {
            return verdict.evidence("(content not shown: " + path + " " + hiddenBecause + ")");
        }
        return text == null ? verdict : verdict.evidence(Evidence.labelled("first lines of " + path, text));
    }
}
