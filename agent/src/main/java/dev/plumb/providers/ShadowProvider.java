package dev.plumb.providers;

import dev.plumb.api.Command;
import dev.plumb.api.CommandResult;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.ResourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Users and groups with the shadow utilities: state from {@code getent}, changes through {@code useradd},
 * {@code usermod}, {@code userdel}, {@code groupadd}, {@code groupmod} and {@code groupdel}. Account names
 * reach the commands validated, so none can be taken for an option. A password hash goes to
 * {@code chpasswd -e} on standard input, never on a command line, which any user can read in {@code ps}.
 */
public final class ShadowProvider {

    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(1);
    /** Long enough for usermod --move-home or userdel --remove on a large home directory. */
    private static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(30);
    private static final Map<String, String> C_LOCALE = Map.of("LC_ALL", "C");
    /** getent's exit code for a key the database does not hold. */
    private static final int NOT_FOUND = 2;
    /**
     * The account files are one per host, and each tool locks them only for a while before giving up; changes
     * run one at a time so that users and groups converging in parallel do not wait on each other's locks.
     */
    private static final Object ACCOUNT_FILES = new Object();

    private final CommandRunner commands;
    private final Path toolDirectory;

    public ShadowProvider(CommandRunner commands) {
        this(commands, Path.of("/usr/sbin"));
    }

    /** A provider that looks for the tools in {@code toolDirectory} when the facts do not settle it. */
    ShadowProvider(CommandRunner commands, Path toolDirectory) {
        this.commands = commands;
        this.toolDirectory = toolDirectory;
    }

    /** Fits the Debian family, which always has the shadow utilities, and any other host that has them. */
    public boolean suitable(Map<String, Object> facts) {
        boolean debian = facts.get("os") instanceof Map<?, ?> os && "debian".equals(os.get("family"));
        return debian || Files.isExecutable(toolDirectory.resolve("useradd"));
    }

    /** One entry of the user database, as {@code getent passwd} prints it. */
    public record Passwd(String name, int uid, int gid, String comment, String home, String shell) {
    }

    /** One entry of the group database, with the users listed as its supplementary members. */
    public record Group(String name, int gid, List<String> members) {

        public Group {
            members = List.copyOf(members);
        }
    }

    /** The user of that name; null when there is none. */
    public Passwd user(String name) throws IOException {
        String line = lookUp("passwd", name);
        return line == null ? null : parsePasswd(line);
    }

    /** The group of that name; null when there is none. */
    public Group group(String name) throws IOException {
        String line = lookUp("group", name);
        return line == null ? null : parseGroup(line);
    }

    /** Every group of the host, to find a user's memberships and the name of its primary group. */
    public List<Group> groups() throws IOException {
        return parseGroups(query(List.of("getent", "group")).stdout());
    }

    /** The password hash of the user; null when the shadow database has no entry for it. */
    public String passwordHash(String name) throws IOException {
        String line = lookUp("shadow", name);
        return line == null ? null : parseShadowHash(line);
    }

    /** The attributes of an account to set: null leaves one to useradd's default, or unchanged for usermod. */
    public record UserSettings(Integer uid, String group, String shell, String home, List<String> groups,
                               String comment, String password) {
    }

    /**
     * Creates a user, then sets its password; {@code createHome} makes its home directory, which otherwise is
     * left alone.
     */
    public void addUser(String name, UserSettings settings, boolean system, boolean createHome)
            throws IOException, ResourceException {
        List<String> argv = new ArrayList<>(List.of("useradd"));
        options(argv, settings, false);
        argv.add(createHome ? "--create-home" : "--no-create-home");
        if (system) {
            argv.add("--system");
        }
        change(argv, name);
        setPassword(name, settings.password());
    }

    /**
     * Changes what {@code settings} gives of a user. {@code appendGroups} adds the user to its groups and keeps
     * its other memberships; {@code moveHome} moves the content of the old home directory to the new one.
     */
    public void modifyUser(String name, UserSettings settings, boolean appendGroups, boolean moveHome)
            throws IOException, ResourceException {
        List<String> argv = new ArrayList<>(List.of("usermod"));
        if (appendGroups && settings.groups() != null) {
            argv.add("--append");
        }
        options(argv, settings, true);
        if (moveHome && settings.home() != null) {
            argv.add("--move-home");
        }
        if (argv.size() > 1) {
            change(argv, name);
        }
        setPassword(name, settings.password());
    }

    /** Sets a user's password hash, given on chpasswd's standard input as {@code name:hash}; null leaves it. */
    private void setPassword(String name, String hash) throws IOException, ResourceException {
        if (hash != null) {
            run(new Command(List.of("chpasswd", "--encrypted"), null, C_LOCALE, CHANGE_TIMEOUT, name + ":" + hash + "\n"),
                    name);
        }
    }

    /** Removes a user; {@code removeHome} also removes its home directory and mail spool. */
    public void removeUser(String name, boolean removeHome) throws IOException, ResourceException {
        change(removeHome ? List.of("userdel", "--remove") : List.of("userdel"), name);
    }

    public void addGroup(String name, Integer gid, boolean system) throws IOException, ResourceException {
        List<String> argv = new ArrayList<>(List.of("groupadd"));
        if (gid != null) {
            argv.addAll(List.of("--gid", gid.toString()));
        }
        if (system) {
            argv.add("--system");
        }
        change(argv, name);
    }

    public void changeGid(String name, int gid) throws IOException, ResourceException {
        change(List.of("groupmod", "--gid", Integer.toString(gid)), name);
    }

    public void removeGroup(String name) throws IOException, ResourceException {
        change(List.of("groupdel"), name);
    }

    private static void options(List<String> argv, UserSettings settings, boolean modify) {
        option(argv, "--uid", settings.uid());
        option(argv, "--gid", settings.group());
        option(argv, "--shell", settings.shell());
        option(argv, modify ? "--home" : "--home-dir", settings.home());
        option(argv, "--groups", settings.groups() == null ? null : String.join(",", settings.groups()));
        option(argv, "--comment", settings.comment());
    }

    private static void option(List<String> argv, String option, Object value) {
        if (value != null) {
            argv.add(option);
            argv.add(value.toString());
        }
    }

    static Passwd parsePasswd(String line) throws IOException {
        String[] fields = fields(line, 7, "passwd");
        return new Passwd(fields[0], number(fields[2], line), number(fields[3], line), fields[4], fields[5], fields[6]);
    }

    static Group parseGroup(String line) throws IOException {
        String[] fields = fields(line, 4, "group");
        List<String> members = fields[3].isEmpty() ? List.of() : List.of(fields[3].split(","));
        return new Group(fields[0], number(fields[2], line), members);
    }

    static List<Group> parseGroups(String output) throws IOException {
        List<Group> groups = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                groups.add(parseGroup(line));
            }
        }
        return groups;
    }

    /** The hash field of a shadow entry, which the caller must never show. */
    static String parseShadowHash(String line) throws IOException {
        String[] fields = line.strip().split(":", -1);
        if (fields.length < 2) {
            // The line itself holds the hash, so the message must not quote it.
            throw new IOException("getent shadow printed an entry that is not name:hash:...");
        }
        return fields[1];
    }

    private static String[] fields(String line, int count, String database) throws IOException {
        String[] fields = line.strip().split(":", -1);
        if (fields.length != count) {
            throw new IOException("getent " + database + " printed '" + line.strip() + "', which does not have "
                    + count + " fields separated by ':'");
        }
        return fields;
    }

    private static int number(String field, String line) throws IOException {
        try {
            return Integer.parseUnsignedInt(field);
        } catch (NumberFormatException e) {
            throw new IOException("getent printed '" + line.strip() + "', whose id '" + field + "' is not a number");
        }
    }

    /** The one line getent prints for {@code key} in {@code database}; null when the database does not hold it. */
    private String lookUp(String database, String key) throws IOException {
        CommandResult result = query(List.of("getent", database, key));
        return result.exitCode() == NOT_FOUND ? null : result.stdout().strip();
    }

    private CommandResult query(List<String> argv) throws IOException {
        CommandResult result;
        try {
            result = commands.run(new Command(argv, null, C_LOCALE, QUERY_TIMEOUT));
        } catch (IOException e) {
            throw new IOException(String.join(" ", argv) + ": " + e.getMessage(), e);
        }
        if (!result.succeeded() && result.exitCode() != NOT_FOUND) {
            throw new IOException(String.join(" ", argv) + " failed with exit code " + result.exitCode() + ": "
                    + result.evidence());
        }
        return result;
    }

    /** Runs one change to the account files, {@code options} followed by the account name. */
    private void change(List<String> options, String name) throws IOException, ResourceException {
        List<String> argv = new ArrayList<>(options);
        argv.add(name);
        run(new Command(argv, null, C_LOCALE, CHANGE_TIMEOUT), name);
    }

    /** Runs one change to the account files; a failure names the tool and its error output, never its input. */
    private void run(Command command, String name) throws IOException, ResourceException {
        String tool = command.argv().get(0);
        CommandResult result;
        synchronized (ACCOUNT_FILES) {
            try {
                result = commands.run(command);
            } catch (IOException e) {
                throw new IOException(tool + " " + name + ": " + e.getMessage(), e);
            }
        }
        if (!result.succeeded()) {
            throw new ResourceException(tool + " failed with exit code " + result.exitCode() + ":\n" + result.evidence());
        }
    }
}
