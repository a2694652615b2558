package dev.plumb.transport.ssh;

import java.util.ArrayList;
import java.util.List;

/**
 * What a host offers the agent, as one short script run there finds it: the login user's home, whether that user is
 * root, a Java 17 or newer ({@code java} on the PATH, then {@code $JAVA_HOME}, then {@code /usr/lib/jvm}), the agent
 * jar if it is already there, where the agent's class-data archive for that jar and that JVM goes (it halves the
 * agent's start-up: made by the first run, used by the next ones), and, with {@code become}, whether {@code sudo -n}
 * answers.
 *
 * @param home     the login user's home directory
 * @param root     whether the login user is root
 * @param java     the Java to run the agent with; null when none is recent enough
 * @param tooOld   the Javas found that are older than 17, as {@code PATH (Java 11)}
 * @param agentJar the agent jar on the host; null when it must be sent
 * @param archive  the class-data archive of this jar and this Java, named by both; null without Java
 * @param archived whether {@code archive} is there already
 * @param sudo     {@code ok}, or what {@code sudo -n true} said; null without {@code become}
 */
record HostSetup(String home, boolean root, String java, List<String> tooOld, String agentJar, String archive,
                 boolean archived, String sudo) {

    private static final String PLACES = "java on the PATH, $JAVA_HOME/bin/java and /usr/lib/jvm/*/bin/java";

    /** The script, for the agent jar {@code sha256}; a JDK's {@code release} file saves starting a JVM to ask. */
    static String script(String sha256, boolean become) {
        return "jar=\"$HOME/.cache/plumb/" + jarName(sha256) + "\"\n"
                + "echo \"home=$HOME\"; echo \"uid=$(id -u)\"\n"
                + "[ -f \"$jar\" ] && echo \"jar=$jar\"\n"
                // Archives of runs cut short (a lost connection) are not kept.
                + "find \"$HOME/.cache/plumb\" -name '*.jsa.tmp-*' -mmin +120 -delete 2>/dev/null\n"
                + "for j in \"$(command -v java)\" \"${JAVA_HOME:+$JAVA_HOME/bin/java}\" /usr/lib/jvm/*/bin/java; do\n"
                + "  [ -x \"$j\" ] || continue\n"
                + "  r=\"$(readlink -f \"$j\")\"\n"
                + "  v=$(sed -n 's/^JAVA_VERSION=\"\\([0-9]*\\).*/\\1/p' \"${r%/bin/java}/release\" 2>/dev/null)\n"
                + "  [ -n \"$v\" ] || v=$(\"$j\" -version 2>&1 | sed -n '1s/^[^\"]*\"\\([0-9]*\\).*/\\1/p')\n"
                + "  if [ \"${v:-0}\" -ge 17 ] 2>/dev/null; then\n"
                + "    echo \"java=$j\"\n"
                // An updated JVM gets an archive of its own: the name holds its libjvm's size and time.
                + "    k=$(ls -lLn --time-style=+%s \"${r%/bin/java}/lib/server/libjvm.so\" 2>/dev/null | cksum | cut -d ' ' -f 1)\n"
                + "    a=\"$HOME/.cache/plumb/plumb-agent-" + sha256 + "-$k.jsa\"; echo \"archive=$a\"\n"
                + "    [ -f \"$a\" ] && echo archived=yes\n"
                + "    break\n"
                + "  fi\n"
                + "  echo \"old=$j (Java ${v:-of unknown version})\"\n"
                + "done\n"
                + (become ? "if s=$(sudo -n true 2>&1 </dev/null); then echo sudo=ok;"
                        + " else echo \"sudo=$(echo \"$s\" | head -n 1)\"; fi\n" : "")
                + "true\n";
    }

    static String jarName(String sha256) {
        return "plumb-agent-" + sha256 + ".jar";
    }

    /** Reads the script's {@code key=value} lines. */
    static HostSetup parse(String output) {
        String home = null;
        boolean root = false;
        String java = null;
        List<String> tooOld = new ArrayList<>();
        String agentJar = null;
        String archive = null;
        boolean archived = false;
        String sudo = null;
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String value = line.substring(equals + 1);
            switch (line.substring(0, equals)) {
                case "home" -> home = value;
                case "uid" -> root = value.equals("0");
                case "java" -> java = value;
                case "old" -> tooOld.add(value);
                case "jar" -> agentJar = value;
                case "archive" -> archive = value;
                case "archived" -> archived = true;
                case "sudo" -> sudo = value.isEmpty() ? "no answer" : value;
                default -> { }
            }
        }
        return new HostSetup(home, root, java, List.copyOf(tooOld), agentJar, archive, archived, sudo);
    }

    boolean sudoWorks() {
        return "ok".equals(sudo);
    }

    HostSetup withAgentJar(String path) {
        return new HostSetup(home, root, java, tooOld, path, archive, archived, sudo);
    }

    HostSetup withArchive() {
        return new HostSetup(home, root, java, tooOld, agentJar, archive, true, sudo);
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
