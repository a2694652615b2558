package dev.plumb.resources;

import dev.plumb.api.Diagnostic;
import dev.plumb.api.Suggestions;
import dev.plumb.system.FileAttributes;
import dev.plumb.system.SafePaths;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The attribute rules several resource and check types share, each adding a problem that names the attribute. */
public final class Rules {

    /** The names useradd and groupadd accept everywhere; none can be taken for a command's option. */
    private static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z_][a-z0-9_-]*[$]?");
    private static final int ACCOUNT_NAME_MAX = 32;
    /** The port at the end of a URL's authority, as in {@code localhost:8080} or {@code [::1]:8080}. */
    private static final Pattern PORT = Pattern.compile(":(\\d+)$");

    private Rules() {
    }

    public static void oneOf(List<Diagnostic> problems, String attribute, String value, String... allowed) {
        if (value != null && !List.of(allowed).contains(value)) {
            problems.add(Diagnostic.ofAttribute(attribute, "'" + value + "' is not one of " + String.join(", ", allowed)
                    + Suggestions.didYouMean(value, List.of(allowed))));
        }
    }

    /**
     * A path in its one normal spelling: absolute, without {@code .} or {@code ..} components, {@code //}, a trailing
     * slash or control characters. The problem suggests the normal form, so two spellings of one path never both pass.
     */
    public static void normalPath(List<Diagnostic> problems, String attribute, String path) {
        String problem = path == null ? null : SafePaths.problem(path);
        if (problem != null) {
            problems.add(Diagnostic.ofAttribute(attribute, problem));
        }
    }

    /** A value written into the filesystem as given, such as a symlink's target: no control characters. */
    public static void noControlCharacters(List<Diagnostic> problems, String attribute, String value) {
        String problem = value == null ? null : SafePaths.controlCharacterProblem(value);
        if (problem != null) {
            problems.add(Diagnostic.ofAttribute(attribute, problem));
        }
    }

    public static void mode(List<Diagnostic> problems, String mode) {
        if (mode != null && !FileAttributes.isValidMode(mode)) {
            problems.add(Diagnostic.ofAttribute("mode", "'" + mode + "' is not a file mode; expected octal digits "
                    + "such as \"0644\" or \"0750\" (setuid, setgid and sticky bits are not supported)"));
        }
    }

    public static void required(List<Diagnostic> problems, String attribute, Object value) {
        if (value == null) {
            problems.add(Diagnostic.ofAttribute(attribute, "is required"));
        }
    }

    public static void accountName(List<Diagnostic> problems, String attribute, String name) {
        if (name != null && (name.length() > ACCOUNT_NAME_MAX || !ACCOUNT_NAME.matcher(name).matches())) {
            problems.add(Diagnostic.ofAttribute(attribute, "'" + name + "' is not a user or group name; expected at most "
                    + ACCOUNT_NAME_MAX + " lower-case letters, digits, _ and -, starting with a letter or _"));
        }
    }

    /** What is wrong with an http or https URL (of a check, a download), or null. */
    public static String httpUrlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "'" + url + "' is not a valid URL: " + e.getReason().toLowerCase() + " at character " + (e.getIndex() + 1);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "'" + url + "' is not an http or https URL; expected one such as http://localhost:8080/health";
        }
        // Checked before the host: java.net.URI reads an authority whose port is too large as one without a host.
        Matcher port = PORT.matcher(uri.getRawAuthority() == null ? "" : uri.getRawAuthority());
        if (port.find() && (port.group(1).length() > 5 || Integer.parseInt(port.group(1)) < 1
                || Integer.parseInt(port.group(1)) > 65535)) {
            return "'" + url + "' has port " + port.group(1) + ", which is not a port; expected a number from 1 to 65535";
        }
        if (uri.getHost() == null) {
            return "'" + url + "' names no host; expected a URL such as http://localhost:8080/health";
        }
        return null;
    }

    public static void notNegative(List<Diagnostic> problems, String attribute, Integer value) {
        if (value != null && value < 0) {
            problems.add(Diagnostic.ofAttribute(attribute, value + " is negative; ids start at 0"));
        }
    }
}
