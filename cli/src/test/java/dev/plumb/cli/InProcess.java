package dev.plumb.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** plumb's command line run in the test's JVM, as a user would run it from a shell: its exit code and what it printed. */
record InProcess(int exit, String out, String err) {

    static InProcess plumb(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(args.toArray(String[]::new));
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exit = commandLine.execute(args.toArray(String[]::new));
        return new InProcess(exit, out.toString(), err.toString());
    }

    /** Standard output followed by standard error. */
    String all() {
        return out + err;
    }
}
