package dev.plumb.resources;

import dev.plumb.api.Action;
import dev.plumb.api.Attribute;
import dev.plumb.api.AutoRequires;
import dev.plumb.api.Change;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.PathBound;
import dev.plumb.api.Resource;
import dev.plumb.api.ResourceException;
import dev.plumb.api.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code timezone: NAME} — the host's time zone, as Debian's tzdata sets it: /etc/localtime a symlink to
 * /usr/share/zoneinfo/NAME, and /etc/timezone holding the name. A link that already names the zone, relative as
 * timedatectl writes it or absolute, is left as it is. Programs already running keep the zone they started with until
 * they restart.
 */
public record TimezoneResource(
        @Attribute(doc = "the zone as tzdata names it, such as Europe/Berlin or UTC") String name)
        implements Resource, PathBound, AutoRequires {

    private static final Path ZONEINFO = Path.of("/usr/share/zoneinfo");
    private static final String LOCALTIME = "/etc/localtime";
    private static final String TIMEZONE = "/etc/timezone";
    private static final Pattern ZONE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9][A-Za-z0-9_+-]*)*");
    /** Where tzdata keeps other copies of the zones, and files that are not zones (zone.tab, tzdata.zi). */
    private static final Pattern NOT_A_ZONE = Pattern.compile("(posix|right)/.*|.*\\..*|[a-z]+");

    @Override
    public List<Diagnostic> validate() {
        List<Diagnostic> problems = new ArrayList<>();
        if (!ZONE_NAME.matcher(name).matches()) {
            problems.add(Diagnostic.ofAttribute("name", "'" + name + "' is not a time zone name; expected words joined by "
                    + "/, such as Europe/Berlin, America/New_York or UTC"));
        }
        return problems;
    }

    @Override
    public String path() {
        return LOCALTIME;
    }

    @Override
    public boolean ownsPath() {
        return true;
    }

    @Override
    public List<String> autoRequires() {
        return List.of("package:tzdata");
    }

    @Override
    public Change converge(Context context, boolean apply) throws IOException, ResourceException {
        Path zone = ZONEINFO.resolve(name);
        if (!Files.isRegularFile(zone)) {
            throw new ResourceException(unknownZone(zone));
        }
        Change change = new Change();
        String current = currentZone();
        if (!name.equals(current)) {
            Change link = new SymlinkResource(LOCALTIME, zone.toString(), "present").converge(context, apply);
            link.backups().forEach(change::backup);
            change.add(Action.CHANGE, "name", current, name, current == null ? "set time zone " + name
                    : "time zone changed '" + current + "' to '" + name + "'");
        }
        FileResource timezone = FileResource.text(TIMEZONE, name + "\n", "0644", null, null);
        return DelegatedChanges.include(change, TIMEZONE, timezone.converge(context, apply));
    }

    /** The zone /etc/localtime links to, relative or absolute; null when it is missing, or not a link into zoneinfo. */
    private static String currentZone() throws IOException {
        Path localtime = Path.of(LOCALTIME);
        if (!Files.isSymbolicLink(localtime)) {
            return null;
        }
        String target = Files.readSymbolicLink(localtime).toString();
        int zoneinfo = target.indexOf("zoneinfo/");
        return zoneinfo < 0 ? null : target.substring(zoneinfo + "zoneinfo/".length());
    }

    /** Why {@code zone} cannot be used: tzdata is missing, or it has no such zone and perhaps one that is close. */
    private String unknownZone(Path zone) throws IOException {
        if (!Files.isDirectory(ZONEINFO)) {
            return ZONEINFO + " does not exist; install the package tzdata (declare it, and the time zone follows it)";
        }
        List<String> zones;
        try (Stream<Path> tree = Files.walk(ZONEINFO)) {
            zones = tree.filter(Files::isRegularFile).map(path -> ZONEINFO.relativize(path).toString())
                    .filter(relative -> !NOT_A_ZONE.matcher(relative).matches()).sorted().toList();
        }
        return "there is no time zone " + name + " (no " + zone + "); 'timedatectl list-timezones' lists them"
                + Suggestions.didYouMean(name, zones);
    }
}
