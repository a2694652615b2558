package dev.plumb.cli;

import java.util.List;

/**
 * The libraries only {@code plumb server} uses (its HTTPS API, git, store and CA), which plumb.jar leaves out so that
 * every other command starts from a small jar: bin/plumb puts them, from {@code server-lib} beside the jar, on the
 * server's class path (and the demo's, which runs one). A server started without them says how to run it, rather than
 * failing on a missing class.
 */
final class ServerLibraries {

    /** What a server started from plumb.jar alone says. */
    static final String MISSING = "plumb server and plumb demo need the server's libraries (cli/target/server-lib, "
            + "beside plumb.jar) on the class path: run them through bin/plumb, or as java -cp 'plumb.jar:server-lib/*' "
            + "dev.plumb.cli.Main server ...";

    /** One class of each library the server uses. */
    private static final List<String> CLASSES = List.of("io.javalin.Javalin", "org.eclipse.jgit.api.Git",
            "org.h2.Driver", "org.postgresql.Driver", "org.flywaydb.core.Flyway", "com.zaxxer.hikari.HikariDataSource",
            "org.jdbi.v3.core.Jdbi", "org.bouncycastle.cert.X509CertificateHolder");

    private ServerLibraries() {
    }

    /** Whether {@code loader} finds every library; looked up as resources, so that nothing of them is loaded. */
    static boolean present(ClassLoader loader) {
        return CLASSES.stream().allMatch(name -> loader.getResource(name.replace('.', '/') + ".class") != null);
    }
}
