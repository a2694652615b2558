package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.PathBound;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.system.AtomicFiles;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.SafePaths;
import dev.plumb.system.Secrecy;
import dev.plumb.system.UnifiedDiff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code line: LABEL} — one line ({@code text}) in a file that plumb otherwise leaves alone. With {@code match}, the first
 * line matching the regular expression is replaced; without, the line is appended when missing. Several
 * line resources may edit one file; they apply one after another.
 */
public record LineResource(
        @Attribute(doc = "a label for the resource") String name,
        @Attribute(doc = "absolute path of the file to edit; it must exist", required = true) String path,
        @Attribute(doc = "the whole line, without its newline") String text,
        @Attribute(doc = "a regular expression for the line to replace (present) or the lines to remove "
                + "(absent)")
        String match,
        @Attribute(doc = "present (default) or absent",
                defaultValue = "present", values = {"present", "absent"})
        String ensure)
        implements Resource, PathBound {

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        Rules.required(problems, "path", path);
        Rules.normalPath(problems, "path", path);
        Rules.oneOf(problems, "ensure", ensure, "present", "absent");
        if (!"absent".equals(ensure)) {
            Rules.required(problems, "text", text);
        } else if (text == null && match == null) {
            problems.add(Diagnostic.ofAttribute("text", "is required, or match, to say which lines to remove"));
        }
        if (text != null && text.contains("\n")) {
            problems.add(Diagnostic.ofAttribute("text", "holds a newline; one line resource manages one line"));
        }
        if (match != null) {
            try {
                Pattern.compile(match);
            } catch (PatternSyntaxException e) {
                problems.add(Diagnostic.ofAttribute("match", "is not a valid regular expression: " + e.getDescription()
                        + " near index " + e.getIndex()));
            }
        }
        return problems;
    }

    @Override
    public boolean ownsPath() {
        return false;
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        Path file = location();
        Tree.requireNoSymlinkAbove(file, "edit");
        PosixFileAttributes current = FileAttributes.readOrNull(file);
        if (current != null && current.isSymbolicLink()) {
            throw new ResourceException(file + " is a symlink (to '" + Files.readSymbolicLink(file) + "'); a line edits "
                    + "a regular file and never writes through a link: give the path of the file itself");
        }
        boolean exists = current != null && current.isRegularFile();
        if (!exists && (apply || current != null)) {
            throw new ResourceException(file + " does not exist or is not a regular file; a line is added only to an "
                    + "existing file (declare the file as a resource to create it)");
        }
        // A dry run plans against an empty file: the file resource this line follows would create it first.
        byte[] before = exists ? SafePaths.readWithoutFollowing(file) : new byte[0];
        // Lines of a file Secrecy hides may be secrets: the change and the diff show only the managed line.
        boolean secret = exists && !Secrecy.mayShow(file, current, before, false);
        List<String> lines = new ArrayList<>(List.of(new String(before, StandardCharsets.UTF_8).split("\n", -1)));
        boolean endsWithNewline = lines.get(lines.size() - 1).isEmpty();
        if (endsWithNewline) {
            lines.remove(lines.size() - 1);
        }
        Change change = new Change();
        if ("absent".equals(ensure)) {
            Pattern pattern = match == null ? null : Pattern.compile(match);
            int removed = 0;
            for (int i = lines.size() - 1; i >= 0; i--) {
                String candidate = lines.get(i);
                if (pattern != null ? pattern.matcher(candidate).find() : candidate.equals(text)) {
                    lines.remove(i);
                    removed++;
                }
            }
            if (removed > 0) {
                change.add(Action.REMOVE, "lines", removed, 0, "remove " + removed + (removed == 1 ? " line" : " lines") + " from " + file);
            }
        } else if (!lines.contains(text)) {
            int replace = firstMatch(lines);
            if (replace >= 0) {
                change.add(Action.CHANGE, "line", secret ? Change.SENSITIVE : lines.get(replace),
                        text, "replace line " + (replace + 1) + " of " + file);
                lines.set(replace, text);
            } else {
                change.add(Action.CREATE, "line", null, text, "append line to " + file);
                lines.add(text);
            }
        }
        if (change.isNeeded()) {
            boolean newlineAtEnd = !lines.isEmpty() && (endsWithNewline || change.action() == Action.CREATE);
            byte[] after = (String.join("\n", lines) + (newlineAtEnd ? "\n" : "")).getBytes(StandardCharsets.UTF_8);
            change.diff(secret ? managedLineOnly() : UnifiedDiff.of(path, before, after));
            if (apply) {
                change.backup(context.backups().save(file, before));
                AtomicFiles.write(file, after, new FileAttributes(null, null, null));
            }
        }
        Tree.removeStrayTemporaries(file, change, apply);
        return change;
    }

    /**
     * The diff of an edit to a file {@link Secrecy} hides: the lines around the managed one may be secrets, so only
     * the managed line is shown; lines removed by a pattern are only counted, as the change already says.
     */
    private String managedLineOnly() {
        String hidden = "(" + path + " may hold secrets; only the managed line is shown)\n";
        if (!"absent".equals(ensure)) {
            return hidden + "+" + text + "\n";
        }
        return match == null ? hidden + "-" + text + "\n" : hidden;
    }

    private int firstMatch(List<String> lines) {
        if (match == null) {
            return -1;
        }
        Pattern pattern = Pattern.compile(match);
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }
}
