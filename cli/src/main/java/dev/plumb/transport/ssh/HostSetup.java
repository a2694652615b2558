package dev.plumb.transport.ssh;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a host offers the agent, as one short script run there finds it: whether the login user is root, a Java 17 or
 * newer ({@code java} on the PATH, then {@code $JAVA_HOME}, then {@code /usr/lib/jvm}), the agent jar if it is
 * already there, where the agent's class-data archive for that jar and that JVM goes (it halves the agent's start-up:
 * made by the first run, used by the next ones), and the login user's home.
 *
 * <p>With {@code become}, the agent runs as root, so root must trust every file it runs: the script itself runs as
 * root through {@code sudo -n} (which shows that sudo answers, for the very command plumb runs through it), finds Java
 * as root does, and keeps the jar and its archive in {@link #ROOT_DIRECTORY}, root's alone, where it checks the jar's
 * sha256 before each run. Without it, they stay in the login user's {@code ~/.cache/plumb}, which must be the user's
 * own (not writable by others).
 *
 * @param home      the home directory of the user the script ran as
 * @param root      whether the login user is root
 * @param directory where the jar and its archives are kept
 * @param java      the Java to run the agent with; null when none is recent enough
 * @param tooOld    the Javas found that are older than 17, as {@code PATH (Java 11)}
 * @param agentJar  the agent jar on the host; null when it must be sent
 * @param archive   the class-data archive of this jar and this Java, named by both; null without Java
 * @param archived  whether {@code archive} is there already
 * @param sudo      {@code ok} when the script ran through {@code sudo -n}; else why it did not; null when not asked
 * @param unsafe    why the login user's jar cache cannot be trusted; null when it can
 */
record HostSetup(String home, boolean root, String directory, String java, List<String> tooOld, String agentJar,
                 String archive, boolean archived, String sudo, String unsafe) {

    /** Where the agent jar is kept with {@code become}: root's own directory, which no other user can write. */
    static final String ROOT_DIRECTORY = "/var/lib/plumb/agent";

    private static final String PLACES = "java on the PATH, $JAVA_HOME/bin/java and /usr/lib/jvm/*/bin/java";

    /**
     * The probe's command, for the agent jar {@code sha256}: the login user's id, then the script, as root through
     * {@code sudo -n} with {@code become}. A value the host prints first is the one read, so that a value holding a
     * newline (a home directory, say) cannot forge a line that comes after it: the home comes last.
     */
    static String command(String sha256, boolean become) {
        String asUser = "sh -c " + Shell.quote(script(sha256, "\"$HOME/.cache/plumb\"", false));
        if (!become) {
            return "echo \"uid=$(id -u)\"; " + asUser;
        }
        return "u=$(id -u); echo \"uid=$u\"; if [ \"$u\" = 0 ]; then " + asUser + "; else sudo -n -- sh -c "
                + Shell.quote(script(sha256, ROOT_DIRECTORY, true)) + " </dev/null; fi";
    }

    /**
     * The script that looks for Java and the jar in {@code directory} (a shell word); a JDK's {@code release} file
     * saves starting a JVM to ask. Run as root through sudo ({@code throughSudo}), it checks the jar's sha256 too;
     * else it checks that the user's cache is the user's.
     */
    private static String script(String sha256, String directory, boolean throughSudo) {
        return "d=" + directory + "; echo \"dir=$d\"\n"
                + (throughSudo ? "echo sudo=ok\n" : unsafeCache())
                + "jar=\"$d/" + jarName(sha256) + "\"\n"
                + (throughSudo
                        ? "if [ -f \"$jar\" ]; then s=$(sha256sum \"$jar\"); [ \"${s%% *}\" = " + sha256
                                + " ] && echo \"jar=$jar\"; fi\n"
                        : "[ -f \"$jar\" ] && echo \"jar=$jar\"\n")
                // Archives of runs cut short (a lost connection) are not kept.
                + "find \"$d\" -name '*.jsa.tmp-*' -mmin +120 -delete 2>/dev/null\n"
                + "for j in \"$(command -v java)\" \"${JAVA_HOME:+$JAVA_HOME/bin/java}\" /usr/lib/jvm/*/bin/java; do\n"
                + "  [ -x \"$j\" ] || continue\n"
                + "  r=\"$(readlink -f \"$j\")\"\n"
                + "  v=$(sed -n 's/^JAVA_VERSION=\"\\([0-9]*\\).*/\\1/p' \"${r%/bin/java}/release\" 2>/dev/null)\n"
                + "  [ -n \"$v\" ] || v=$(\"$j\" -version 2>&1 | sed -n '1s/^[^\"]*\"\\([0-9]*\\).*/\\1/p')\n"
                + "  if [ \"${v:-0}\" -ge 17 ] 2>/dev/null; then\n"
                + "    echo \"java=$j\"\n"
                // An updated JVM gets an archive of its own: the name holds its libjvm's size and time.
                + "    k=$(ls -lLn --time-style=+%s \"${r%/bin/java}/lib/server/libjvm.so\" 2>/dev/null | cksum | cut -d ' ' -f 1)\n"
                + "    a=\"$d/plumb-agent-" + sha256 + "-$k.jsa\"; echo \"archive=$a\"\n"
                + "    [ -f \"$a\" ] && echo archived=yes\n"
                + "    break\n"
                + "  fi\n"
                + "  echo \"old=$j (Java ${v:-of unknown version})\"\n"
                + "done\n"
                + "echo \"home=$HOME\"\n";
    }

    /** Script lines that say which of {@code ~/.cache} and {@code ~/.cache/plumb} another user could change. */
    private static String unsafeCache() {
        return "for c in .cache .cache/plumb; do\n"
                + "  [ -e \"$HOME/$c\" ] || continue\n"
                + "  set -- $(stat -L -c '%u %A' \"$HOME/$c\")\n"
                + "  case \"$1:$2\" in \"$(id -u)\":?????-??-?) ;; *) echo \"unsafe=~/$c is owned by uid $1 with mode $2\"; break;; esac\n"
                + "done\n";
    }

    static String jarName(String sha256) {
        return "plumb-agent-" + sha256 + ".jar";
    }

    /** Thrown when the probe printed what no host of plumb's prints: a value with control characters. */
    static final class InvalidOutputException extends Exception {
        InvalidOutputException(String message) {
            super(message);
        }
    }

    /** Reads the probe's {@code key=value} lines, the first of each key ({@code old} may repeat). */
    static HostSetup parse(String output) throws InvalidOutputException {
        String home = null;
        boolean root = false;
        String directory = null;
        String java = null;
        List<String> tooOld = new ArrayList<>();
        String agentJar = null;
        String archive = null;
        boolean archived = false;
        String sudo = null;
        String unsafe = null;
        Set<String> seen = new HashSet<>();
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = line.substring(0, equals);
            String value = line.substring(equals + 1);
            if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new InvalidOutputException("its " + ReceivedReport.bounded(key) + " holds control characters: "
                        + ReceivedReport.quoted(value));
            }
            if (!key.equals("old") && !seen.add(key)) {
                continue;
            }
            switch (key) {
                case "home" -> home = value;
                case "uid" -> root = value.equals("0");
                case "dir" -> directory = value;
                case "java" -> java = value;
                case "old" -> tooOld.add(value);
                case "jar" -> agentJar = value;
                case "archive" -> archive = value;
                case "archived" -> archived = true;
                case "sudo" -> sudo = value;
                case "unsafe" -> unsafe = value;
                default -> { }
            }
        }
        return new HostSetup(home, root, directory, java, List.copyOf(tooOld), agentJar, archive, archived, sudo, unsafe);
    }

    /** Whether the script ran: else {@code sudo -n} refused to run it. */
    boolean ran() {
        return directory != null;
    }

    /** Whether the agent runs through {@code sudo -n}: with {@code become}, for a login user other than root. */
    boolean throughSudo() {
        return "ok".equals(sudo);
    }

    HostSetup withAgentJar(String path) {
        return new HostSetup(home, root, directory, java, tooOld, path, archive, archived, sudo, unsafe);
    }

    HostSetup withArchive() {
        return new HostSetup(home, root, directory, java, tooOld, agentJar, archive, true, sudo, unsafe);
    }

    /** Why the agent cannot run on host {@code name}, and what to do about it. */
    String noJava(String name) {
        return "no Java 17 or newer on " + name + " (looked at " + PLACES
                + (tooOld.isEmpty() ? "" : "; found only " + String.join(", ", tooOld))
                + "): install openjdk-17-jre-headless, or run plumb bootstrap " + name;
    }

    /** Where the agent keeps its reports on the host: root's state directory, or the login user's. */
    String reportDirectory(boolean become) {
        return (root || become ? "/var/lib/plumb" : home + "/.local/state/plumb") + "/reports";
    }
}
