package dev.plumb.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.plumb.catalog.Json;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.RunReport;
import dev.plumb.catalog.Status;
import dev.plumb.compiler.Compiler;
import dev.plumb.compiler.ProjectFiles;
import dev.plumb.compiler.ProjectLoader;
import dev.plumb.facts.FactRequest;
import dev.plumb.transport.HostUnreachableException;
import dev.plumb.transport.RunOptions;
import dev.plumb.transport.SshOptions;
import dev.plumb.transport.Transport;
import dev.plumb.transport.Transports;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;

/** The SSH transport against real OpenSSH servers, each fault as the user reads it. */
class SshTransportTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path hostsDirectory;
    private static SshTestHosts hosts;
    private static SshTestHosts.Host web1;
    private static SshTestHosts.Host web2;
    private static SshTestHosts.Host noJava;
    private static SshTestHosts.Host users;
    private static SshTestHosts.Host fullDisk;
    private static SshTestHosts.Host bare;
    private static SshTestHosts.Host hostile;
    private static SshTestHosts.Host noisy;
    private static SshTestHosts.Host ecdsa;

    @TempDir
    Path dir;
    private Path sshDirectory;

    @BeforeAll
    static void startHosts() throws Exception {
        hosts = SshTestHosts.in(hostsDirectory);
        TestAgentJar.sentToHosts();
        web1 = hosts.start("web1", SshTestHosts.Kind.PLAIN);
        web2 = hosts.start("web2", SshTestHosts.Kind.PLAIN);
        noJava = hosts.start("nojava", SshTestHosts.Kind.NO_JAVA);
        users = hosts.start("users", SshTestHosts.Kind.USERS);
        fullDisk = hosts.start("fulldisk", SshTestHosts.Kind.FULL_DISK);
        bare = hosts.start("bare", SshTestHosts.Kind.NO_JAVA, SshTestHosts.Kind.USERS);
        hostile = hosts.start("hostile", SshTestHosts.Kind.HOSTILE);
        noisy = hosts.start("noisy", SshTestHosts.Kind.NOISY);
        ecdsa = hosts.start("ecdsa", SshTestHosts.Kind.ECDSA_KEY_TOO);
    }

    @AfterAll
    static void stopHosts() throws Exception {
        if (hosts != null) {
            hosts.close();
        }
    }

    /** This test's ~/.ssh: every test host's key is known. */
    @BeforeEach
    void knowEveryHost() throws Exception {
        sshDirectory = Files.createDirectories(dir.resolve("ssh"));
        Files.writeString(sshDirectory.resolve("known_hosts"), Stream.of(web1, web2, noJava, users, fullDisk, bare, hostile, noisy)
                .map(host -> host.address() + " " + host.publicKey() + "\n").collect(Collectors.joining()));
    }

    private Transports transports(SshOptions options) {
        return new Transports(options, new OpenSshFiles(sshDirectory, null), FactRequest.NONE);
    }

    private Transports transports() {
        return transports(options(false));
    }

    private static SshOptions options(boolean acceptNew) {
        return new SshOptions(CONNECT_TIMEOUT, SshOptions.DEFAULT_RUN_TIMEOUT, acceptNew, null);
    }

    /** A project whose hosts are {@code inventory} (YAML host entries) and whose one role is {@code role}. */
    private Compiler project(String inventory, String role) throws Exception {
        Path directory = dir.resolve("project");
        new ProjectFiles(directory).write("inventory.yaml", "groups:\n  all: { roles: [main] }\nhosts:\n" + inventory)
                .role(role);
        return new Compiler(ProjectLoader.load(directory));
    }

    private String entry(SshTestHosts.Host host, String extra) {
        return "  " + host.name() + ": { address: " + host.address() + ", identity: " + hosts.clientKey()
                + ", groups: [all], env: dev" + extra + " }\n";
    }

    private static final String MOTD = "resources:\n  - file: /srv/motd\n    content: \"served by {{ facts.hostname }}\\n\"\n";

    /** facts, compile, begin, run: what the fleet runner does for one host. */
    private RunReport apply(Transports transports, Compiler compiler, String host) throws Exception {
        Transport transport = transports.forHost(compiler.project().hosts().get(host));
        Map<String, Object> facts = transport.facts();
        var catalog = compiler.compile(host, Map.of(), facts);
        transport.begin(new RunOptions(Mode.APPLY, true, dir.resolve("state"), Duration.ofSeconds(5)));
        return transport.run(catalog);
    }

    private HostUnreachableException factsFailure(Transports transports, Compiler compiler, String host) {
        return catchThrowableOfType(() -> transports.forHost(compiler.project().hosts().get(host)).facts(),
                HostUnreachableException.class);
    }

    @Test
    void twoHostsHaveTheirOwnFacts() throws Exception {
        Compiler compiler = project(entry(web1, "") + entry(web2, ""), "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(transports.forHost(compiler.project().hosts().get("web1")).facts()).containsEntry("hostname", "web1");
            assertThat(transports.forHost(compiler.project().hosts().get("web2")).facts()).containsEntry("hostname", "web2");
        }
    }

    @Test
    void aProjectFactRunsOnTheHostItIsGatheredForAndATemplateUsesIt() throws Exception {
        Compiler compiler = project(entry(web1, ""), "resources:\n  - file: /srv/where\n    content: \"{{ facts.where }}\"\n");
        Files.writeString(dir.resolve("project/plumb.yaml"), """
                name: test
                environments: [dev]
                facts:
                  where:
                    command: "echo OpenSSH_9.2p1 on $(hostname) as $(id -un) >&2"
                    pattern: "OpenSSH_[0-9.p]+ on (\\\\S+ as \\\\S+)"
                """);
        compiler = new Compiler(ProjectLoader.load(dir.resolve("project")));
        RunReport report;
        try (Transports transports = new Transports(options(false), new OpenSshFiles(sshDirectory, null),
                compiler.project().facts().request())) {
            report = apply(transports, compiler, "web1");
        }

        assertThat(report.error()).isNull();
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip()).isNotEqualTo("web1");
        assertThat(web1.path("/srv/where")).hasContent("web1 as root");
    }

    @Test
    void hostsConvergeInParallelWithTheirOwnContentAndASecondRunChangesNothingAndSendsNoJar() throws Exception {
        Compiler compiler = project(entry(web1, "") + entry(web2, ""), MOTD);
        List<RunReport> first;
        try (Transports transports = transports()) {
            first = inParallel(transports, compiler, "web1", "web2");
        }
        int uploadsAfterFirst = AgentJar.uploads();
        List<RunReport> second;
        try (Transports transports = transports()) {
            second = inParallel(transports, compiler, "web1", "web2");
        }

        assertThat(first).allSatisfy(report -> assertThat(report.error()).isNull());
        assertThat(web1.path("/srv/motd")).hasContent("served by web1");
        assertThat(web2.path("/srv/motd")).hasContent("served by web2");
        assertThat(second).allSatisfy(report -> {
            assertThat(report.error()).isNull();
            assertThat(report.summary().changed()).isZero();
        });
        assertThat(AgentJar.uploads()).as("a second run sends no agent jar").isEqualTo(uploadsAfterFirst);
        try (Stream<Path> reports = Files.list(dir.resolve("state/hosts/web1/reports"))) {
            assertThat(reports.toList()).hasSize(2).allSatisfy(report ->
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report))).isEqualTo("rw-------"));
        }
        try (Stream<Path> onHost = Files.list(web1.path("/var/lib/plumb/reports"))) {
            assertThat(onHost.toList()).as("the host keeps its reports too").hasSize(2);
        }
        try (Stream<Path> cache = Files.list(web1.path("/root/.cache/plumb"))) {
            assertThat(cache.map(file -> file.getFileName().toString()).toList()).as("the jar and one class-data archive")
                    .hasSize(2).anyMatch(name -> name.endsWith(".jar")).anyMatch(name -> name.endsWith(".jsa"));
        }
    }

    private List<RunReport> inParallel(Transports transports, Compiler compiler, String... names) {
        List<CompletableFuture<RunReport>> runs = Stream.of(names)
                .map(name -> applyInBackground(transports, compiler, name)).toList();
        return runs.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprint() throws Exception {
        Files.delete(sshDirectory.resolve("known_hosts"));
        Compiler compiler = project(entry(web1, ""), "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(factsFailure(transports, compiler, "web1")).hasMessageStartingWith(
                    "host key not known: " + web1.address() + " offers ssh-ed25519 SHA256:")
                    .hasMessageContaining("--accept-new-host-keys");
        }
    }

    @Test
    void acceptingNewHostKeysRecordsThemInKnownHostsAndUsesTheDefaultKey() throws Exception {
        Files.delete(sshDirectory.resolve("known_hosts"));
        Files.copy(hosts.clientKey(), sshDirectory.resolve("id_ed25519"));
        Compiler compiler = project("  web1: { address: " + web1.address() + ", groups: [all], env: dev }\n", "resources: []\n");
        try (Transports transports = transports(options(true))) {
            assertThat(transports.forHost(compiler.project().hosts().get("web1")).facts()).containsEntry("hostname", "web1");
        }
        try (Transports transports = transports()) {
            assertThat(transports.forHost(compiler.project().hosts().get("web1")).facts()).containsEntry("hostname", "web1");
        }
        assertThat(sshDirectory.resolve("known_hosts")).hasContent(web1.address() + " " + web1.publicKey().substring(
                0, web1.publicKey().lastIndexOf(' ')));
    }

    @Test
    void hashedKnownHostsEntriesAreRead() throws Exception {
        Process hash = new ProcessBuilder("ssh-keygen", "-H", "-f", sshDirectory.resolve("known_hosts").toString())
                .redirectErrorStream(true).start();
        hash.getInputStream().readAllBytes();
        assertThat(hash.waitFor()).isZero();
        assertThat(sshDirectory.resolve("known_hosts")).content().startsWith("|1|").doesNotContain(web1.address());
        Compiler compiler = project(entry(web1, ""), "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(transports.forHost(compiler.project().hosts().get("web1")).facts()).containsEntry("hostname", "web1");
        }
    }

    @Test
    void aHostOffPort22IsKnownByItsBracketedEntryAndRecordedSo() throws Exception {
        Files.delete(sshDirectory.resolve("known_hosts"));
        Compiler compiler = project(entry(web1, ", port: " + SshTestHosts.OTHER_PORT), "resources: []\n");
        try (Transports transports = transports(options(true))) {
            assertThat(transports.forHost(compiler.project().hosts().get("web1")).facts()).containsEntry("hostname", "web1");
        }
        try (Transports transports = transports()) {
            assertThat(transports.forHost(compiler.project().hosts().get("web1")).facts()).containsEntry("hostname", "web1");
        }
        assertThat(sshDirectory.resolve("known_hosts")).content()
                .startsWith("[" + web1.address() + "]:" + SshTestHosts.OTHER_PORT + " ssh-ed25519 ");
    }

    @Test
    void aChangedHostKeyIsRefusedEvenWhenNewKeysAreAcceptedAndShowsBothFingerprints() throws Exception {
        Files.writeString(sshDirectory.resolve("known_hosts"), web1.address() + " " + web2.publicKey() + "\n");
        Compiler compiler = project(entry(web1, ""), "resources: []\n");
        try (Transports transports = transports(options(true))) {
            HostUnreachableException e = factsFailure(transports, compiler, "web1");

            assertThat(e.getMessage()).startsWith("HOST KEY CHANGED: " + web1.address() + " offers ssh-ed25519 SHA256:")
                    .contains("but known_hosts has ssh-ed25519 SHA256:").contains("known_hosts:1)")
                    .contains("nothing was sent").contains("ssh-keygen -R '" + web1.address() + "'");
            assertThat(e.getMessage().split("SHA256:")).hasSize(3);
        }
    }

    @Test
    void aFailedAuthenticationNamesTheUserAndTheKeysTried() throws Exception {
        Path stranger = hosts.otherKey("stranger");
        Compiler compiler = project("  web1: { address: " + web1.address() + ", identity: " + stranger
                + ", groups: [all], env: dev }\n", "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(factsFailure(transports, compiler, "web1")).hasMessage("authentication failed as root at "
                    + web1.address() + ": the host accepted none of the keys tried (" + stranger + ")");
        }
    }

    @Test
    void aRefusedConnectionSaysSo() throws Exception {
        String address = hosts.refusingAddress();
        Compiler compiler = project("  gone: { address: " + address + ", groups: [all], env: dev }\n", "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(factsFailure(transports, compiler, "gone"))
                    .hasMessage("not reachable: connection refused (root@" + address + ")");
        }
    }

    @Test
    void aNameThatDoesNotResolveSaysSo() throws Exception {
        Compiler compiler = project("  ghost: { address: ghost.invalid, groups: [all], env: dev }\n", "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(factsFailure(transports, compiler, "ghost"))
                    .hasMessage("not reachable: name not resolved (root@ghost.invalid)");
        }
    }

    @Test
    void aPortThatNeverSpeaksSshFailsWithinTheConnectTimeout() throws Exception {
        var silent = hosts.silentListener();
        Compiler compiler = project("  mute: { address: " + silent.getHostString() + ", port: " + silent.getPort()
                + ", groups: [all], env: dev }\n", "resources: []\n");
        long started = System.nanoTime();
        try (Transports transports = transports(new SshOptions(Duration.ofSeconds(1), SshOptions.DEFAULT_RUN_TIMEOUT,
                false, null))) {
            assertThat(factsFailure(transports, compiler, "mute")).hasMessage("not reachable: it accepts connections but "
                    + "does not speak SSH (no greeting within 1 s) (root@" + silent.getHostString() + " port "
                    + silent.getPort() + ")");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aHostWithoutJavaSaysWhereItLookedAndWhatToDo() throws Exception {
        Compiler compiler = project(entry(noJava, ""), "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(factsFailure(transports, compiler, "nojava")).hasMessage("no Java 17 or newer on nojava (looked at "
                    + "java on the PATH, $JAVA_HOME/bin/java and /usr/lib/jvm/*/bin/java): install "
                    + "openjdk-17-jre-headless, or run plumb bootstrap nojava");
        }
    }

    @Test
    void aFullDiskFailsTheUploadOfTheAgent() throws Exception {
        Compiler compiler = project(entry(fullDisk, ""), "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(factsFailure(transports, compiler, "fulldisk")).hasMessageStartingWith(
                    "upload of the agent jar to root@" + fullDisk.address() + " failed: ")
                    .hasMessageContaining("No space left on device");
        }
    }

    @Test
    void becomeRunsTheAgentAsRootThroughSudo() throws Exception {
        Compiler compiler = project(entry(users, ", user: " + SshTestHosts.BECOME_USER + ", become: true"), MOTD);
        try (Transports transports = transports()) {
            RunReport report = apply(transports, compiler, "users");

            assertThat(report.error()).isNull();
            assertThat(report.resources()).singleElement().extracting(r -> r.status()).isEqualTo(Status.CHANGED);
        }
        assertThat(Files.getAttribute(users.path("/srv/motd"), "unix:uid")).isEqualTo(0);
    }

    @Test
    void becomeWithASudoThatAsksForAPasswordSaysSo() throws Exception {
        Compiler compiler = project(entry(users, ", user: " + SshTestHosts.PASSWORD_SUDO_USER + ", become: true"), MOTD);
        try (Transports transports = transports()) {
            assertThat(factsFailure(transports, compiler, "users")).hasMessageStartingWith("become: sudo on "
                    + SshTestHosts.PASSWORD_SUDO_USER + "@" + users.address() + " asks " + SshTestHosts.PASSWORD_SUDO_USER
                    + " for a password (sudo -n: ").hasMessageEndingWith("give " + SshTestHosts.PASSWORD_SUDO_USER
                    + " passwordless sudo (NOPASSWD in /etc/sudoers.d), or log in as root");
        }
    }

    /** A role whose exec sleeps for the host's {@code nap} seconds, findable on this machine by {@code marker}. */
    private static String napping(String marker) {
        return "resources:\n  - exec: nap\n    command: \"sleep {{ nap }} # " + marker + "\"\n";
    }

    /** Waits until the command marked {@code marker} runs on a host (the hosts' processes are this machine's). */
    private static void awaitRunning(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (napsOf(marker).isEmpty()) {
            assertThat(System.nanoTime()).as("a command marked " + marker + " runs").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static List<ProcessHandle> napsOf(String marker) {
        return ProcessHandle.allProcesses().filter(process -> process.info().arguments()
                .map(arguments -> String.join(" ", arguments).contains(marker)).orElse(false)).toList();
    }

    private CompletableFuture<RunReport> applyInBackground(Transports transports, Compiler compiler, String host) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return apply(transports, compiler, host);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aConnectionKilledMidRunFailsThatHostAloneAndItsRunEndsOnTheHost() throws Exception {
        String marker = "plumbtest-" + UUID.randomUUID();
        Compiler compiler = project(entry(web1, ", vars: { nap: 6 }") + entry(web2, ", vars: { nap: 0 }"), napping(marker));
        try (Transports transports = transports()) {
            CompletableFuture<RunReport> cut = applyInBackground(transports, compiler, "web1");
            awaitRunning(marker);
            long reportsBefore = reportsOn(web1);
            web1.sshd().descendants().filter(process -> process.info().command().orElse("").endsWith("sshd"))
                    .forEach(ProcessHandle::destroyForcibly);
            RunReport other = apply(transports, compiler, "web2");
            RunReport report = cut.join();

            assertThat(report.error()).isEqualTo("connection to root@" + web1.address() + " lost during the run; the run "
                    + "on the host goes on to its end, or to its interruption, and keeps its report in "
                    + "/var/lib/plumb/reports there");
            assertThat(other.error()).isNull();
            assertThat(other.summary().changed()).isEqualTo(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (reportsOn(web1) == reportsBefore) {
                assertThat(System.nanoTime()).as("the host's own run ends with its report").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    private static long reportsOn(SshTestHosts.Host host) throws Exception {
        Path reports = host.path("/var/lib/plumb/reports");
        if (!Files.isDirectory(reports)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(reports)) {
            return files.count();
        }
    }

    @Test
    void anInterruptStopsTheAgentOnTheHostInOrderWithItsReport() throws Exception {
        assertAnInterruptStopsTheAgentInOrder(web1);
    }

    /** Interrupts a run on {@code host} that naps: its agent stops in order, with its report, and no nap is left. */
    private void assertAnInterruptStopsTheAgentInOrder(SshTestHosts.Host host) throws Exception {
        String marker = "plumbtest-" + UUID.randomUUID();
        Compiler compiler = project(entry(host, ", vars: { nap: 60 }"), napping(marker));
        long started = System.nanoTime();
        try (Transports transports = transports()) {
            CompletableFuture<RunReport> run = applyInBackground(transports, compiler, host.name());
            awaitRunning(marker);
            transports.interrupt();
            RunReport report = run.join();

            assertThat(report.error()).isNull();
            assertThat(report.resources()).singleElement().satisfies(result ->
                    assertThat(result.status()).isEqualTo(Status.FAILED));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThat(napsOf(marker)).isEmpty();
    }

    @Test
    void aRunPastItsTimeoutIsCancelledOnTheHost() throws Exception {
        String marker = "plumbtest-" + UUID.randomUUID();
        Compiler compiler = project(entry(web1, ", vars: { nap: 60 }"), napping(marker));
        try (Transports transports = transports(new SshOptions(CONNECT_TIMEOUT, Duration.ofSeconds(4), false, null))) {
            RunReport report = apply(transports, compiler, "web1");

            assertThat(report.error()).isEqualTo("run timed out after 4 s and was cancelled on root@" + web1.address());
            assertThat(report.resources()).singleElement().satisfies(result ->
                    assertThat(result.status()).isEqualTo(Status.FAILED));
        }
        assertThat(napsOf(marker)).isEmpty();
    }

    @Test
    void sshConfigGivesHostNameUserKeyAndJumpHostAndTheInventoryWins() throws Exception {
        Files.writeString(sshDirectory.resolve("config"), String.join("\n",
                "Host db", "  HostName " + web1.address(), "  User nobody", "  Port 2222",
                "  IdentityFile " + hosts.clientKey(),
                "Host behind", "  HostName " + web1.address(), "  User root", "  ProxyJump jump",
                "  IdentityFile " + hosts.clientKey(),
                "Host jump", "  HostName " + web2.address(), "  User root", "  IdentityFile " + hosts.clientKey(), ""));
        Compiler compiler = project("  db: { address: db, user: root, port: 22, groups: [all], env: dev }\n"
                + "  behind: { address: behind, groups: [all], env: dev }\n", "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(transports.forHost(compiler.project().hosts().get("db")).facts()).containsEntry("hostname", "web1");
            assertThat(transports.forHost(compiler.project().hosts().get("behind")).facts()).containsEntry("hostname", "web1");
        }
    }

    @Test
    void aRunningSshAgentLendsItsKeys() throws Exception {
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.exists(socket)) {
                assertThat(System.nanoTime()).as("ssh-agent listens").isLessThan(deadline);
                Thread.sleep(20);
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", hosts.clientKey().toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            assertThat(add.start().waitFor()).isZero();
            Compiler compiler = project("  web1: { address: " + web1.address() + ", groups: [all], env: dev }\n",
                    "resources: []\n");

            try (Transports transports = new Transports(options(false), new OpenSshFiles(sshDirectory, socket), FactRequest.NONE)) {
                assertThat(transports.forHost(compiler.project().hosts().get("web1")).facts()).containsEntry("hostname", "web1");
            }
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    @Test
    void bootstrapLeavesAHostWithJavaAlone() throws Exception {
        Compiler compiler = project(entry(web1, ""), "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(transports.forHost(compiler.project().hosts().get("web1")).bootstrap())
                    .matches("nothing to do: root@" + web1.address().replace(".", "\\.") + " has Java at /.*/java");
        }
    }

    @Test
    void bootstrapWithoutRootOrBecomeSaysHowToGetThere() throws Exception {
        Compiler compiler = project(entry(bare, ", user: " + SshTestHosts.BECOME_USER), "resources: []\n");
        try (Transports transports = transports()) {
            HostUnreachableException e = catchThrowableOfType(
                    () -> transports.forHost(compiler.project().hosts().get("bare")).bootstrap(), HostUnreachableException.class);

            assertThat(e).hasMessage("cannot install Java on " + SshTestHosts.BECOME_USER + "@" + bare.address() + " as "
                    + SshTestHosts.BECOME_USER + ": log in as root, or set become: true for a user with passwordless sudo");
        }
    }

    @Test
    void anInterruptStopsTheAgentRunThroughSudo() throws Exception {
        String marker = "plumbtest-" + UUID.randomUUID();
        Compiler compiler = project(entry(users, ", user: " + SshTestHosts.BECOME_USER + ", become: true, vars: { nap: 60 }"),
                napping(marker));
        try (Transports transports = transports()) {
            CompletableFuture<RunReport> run = applyInBackground(transports, compiler, "users");
            awaitRunning(marker);
            transports.interrupt();
            RunReport report = run.join();

            assertThat(report.error()).isNull();
            assertThat(report.resources()).singleElement().satisfies(result ->
                    assertThat(result.status()).isEqualTo(Status.FAILED));
        }
        assertThat(napsOf(marker)).isEmpty();
    }

    // A host is not trusted with the controller: what it prints is checked, bounded, and found past a login's noise.

    /** web1's real facts as a hostile host's session prints them (framed), and {@code report} as its report. */
    private void hostilePrints(String report) throws Exception {
        Compiler compiler = project(entry(web1, ""), "resources: []\n");
        Map<String, Object> facts;
        try (Transports transports = transports()) {
            facts = new HashMap<>(transports.forHost(compiler.project().hosts().get("web1")).facts());
        }
        facts.put("hostname", "hostile");
        byte[] json = Json.MAPPER.writeValueAsBytes(facts);
        Files.write(hostile.path(SshTestHosts.FAKE_FACTS), concat(("facts " + json.length + "\n").getBytes(), json,
                "\n".getBytes()));
        Files.deleteIfExists(hostile.path(SshTestHosts.FAKE_REPORT));
        Files.writeString(hostile.path(SshTestHosts.FAKE_REPORT), report);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new ByteArrayOutputStream();
        Stream.of(parts).forEach(all::writeBytes);
        return all.toByteArray();
    }

    /** A report of an apply on the hostile host, as the agent prints it, with {@code field} set to {@code value}. */
    private static String hostileReport(String field, Object value) throws Exception {
        RunReport valid = new RunReport(UUID.randomUUID().toString(), "hostile", Mode.APPLY, null, null,
                Instant.now().toString(), 1, new RunReport.Summary(0, 0, 0, 0), List.of(), null);
        Map<String, Object> report = Json.MAPPER.readValue(
                Json.MAPPER.writeValueAsString(valid), new TypeReference<>() { });
        report.put(field, value);
        return Json.MAPPER.writeValueAsString(List.of(report));
    }

    @Test
    void aReportThatWouldWriteOutsideTheStateDirectoryFailsItsHostAndWritesNothingThere() throws Exception {
        Path victim = Files.createDirectories(dir.resolve("victim"));
        hostilePrints(hostileReport("startedAt", victim + "/pwned"));
        Compiler compiler = project(entry(hostile, ""), "resources: []\n");
        try (Transports transports = transports()) {
            RunReport report = apply(transports, compiler, "hostile");

            assertThat(report.error()).isEqualTo("plumb-agent on root@" + hostile.address() + " printed an invalid "
                    + "report: its startedAt '" + victim + "/pwned' is not a time such as 2024-05-01T12:00:00Z");
        }
        try (Stream<Path> written = Files.list(victim)) {
            assertThat(written).isEmpty();
        }
        try (Stream<Path> kept = Files.list(dir.resolve("state/hosts/hostile/reports"))) {
            assertThat(kept).as("the host's failure is kept").hasSize(1);
        }
    }

    @Test
    void aReportThatLiesOrLacksWhatIsShownFailsItsHostWithTheReason() throws Exception {
        Map<List<Object>, String> cases = new LinkedHashMap<>();
        cases.put(Arrays.asList("summary", null), "it has no summary");
        cases.put(List.of("host", "web1"), "it names the host 'web1', not hostile");
        cases.put(List.of("host", "hostile\u001b[2J"), "it names the host 'hostile^[[2J', not hostile");
        cases.put(List.of("runId", "../../x"), "its runId '../../x' is not a UUID");
        cases.put(List.of("mode", "PLAN"), "it is a report of PLAN, not of the APPLY asked for");
        cases.put(List.of("resources", List.of(Map.of("id", "file[/x]", "changes", List.of(), "backups", List.of()))),
                "a resource result has no status");
        Compiler compiler = project(entry(hostile, ""), "resources: []\n");
        for (Map.Entry<List<Object>, String> lie : cases.entrySet()) {
            hostilePrints(hostileReport((String) lie.getKey().get(0), lie.getKey().get(1)));
            try (Transports transports = transports()) {
                assertThat(apply(transports, compiler, "hostile").error()).as("%s", lie.getKey()).isEqualTo(
                        "plumb-agent on root@" + hostile.address() + " printed an invalid report: " + lie.getValue());
            }
        }
    }

    @Test
    void aHostThatPrintsWithoutEndFailsOnceItHasPrintedTheLimit() throws Exception {
        hostilePrints("");
        Files.delete(hostile.path(SshTestHosts.FAKE_REPORT));
        Files.createSymbolicLink(hostile.path(SshTestHosts.FAKE_REPORT), Path.of("/dev/zero"));
        Compiler compiler = project(entry(hostile, ""), "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(apply(transports, compiler, "hostile").error()).isEqualTo("a command on root@" + hostile.address()
                    + " printed more than 64 MiB on its standard output while running the catalog; plumb stopped reading it");
        } finally {
            Files.delete(hostile.path(SshTestHosts.FAKE_REPORT));
        }
    }

    @Test
    void factsWithoutTheirHeaderSayWhatTheHostPrinted() throws Exception {
        hostilePrints("");
        Files.writeString(hostile.path(SshTestHosts.FAKE_FACTS), "facts 999999999\n");
        Compiler compiler = project(entry(hostile, ""), "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(factsFailure(transports, compiler, "hostile")).hasMessage("plumb-agent on root@"
                    + hostile.address() + " printed no facts: its output starts with 'facts 999999999^J', not with a "
                    + "line 'facts BYTES'");
        }
    }

    @Test
    void aNoisyLoginShellNeitherBreaksFactsNorKeepsAnInterruptFromStoppingTheAgent() throws Exception {
        assertAnInterruptStopsTheAgentInOrder(noisy);
    }

    // known_hosts never fails open.

    @Test
    void aRevokedHostKeyIsRefusedEvenWhenAlsoKnown() throws Exception {
        Files.writeString(sshDirectory.resolve("known_hosts"), "@revoked * " + web1.publicKey() + "\n"
                + web1.address() + " " + web1.publicKey() + "\n");
        Compiler compiler = project(entry(web1, ""), "resources: []\n");
        try (Transports transports = transports(options(true))) {
            assertThat(factsFailure(transports, compiler, "web1")).hasMessageStartingWith("REVOKED host key: "
                    + web1.address() + " offers ssh-ed25519 SHA256:").hasMessageContaining("known_hosts:1)")
                    .hasMessageContaining("nothing was sent to it");
        }
    }

    @Test
    void aHostKnownOnlyByALinePlumbCannotReadIsRefusedAndNotRecordedAnew() throws Exception {
        String unreadable = web1.address() + " ssh-ed25519 AAAA-not-a-key\n";
        Files.writeString(sshDirectory.resolve("known_hosts"), unreadable);
        Compiler compiler = project(entry(web1, ""), "resources: []\n");
        try (Transports transports = transports(options(true))) {
            assertThat(factsFailure(transports, compiler, "web1")).hasMessageStartingWith("host key not verified: "
                    + web1.address() + " offers ssh-ed25519 SHA256:").hasMessageContaining("known_hosts:1)");
        }
        assertThat(sshDirectory.resolve("known_hosts")).hasContent(unreadable.strip());
    }

    @Test
    void aNewKeyIsRecordedOnALineOfItsOwnWhenTheFileLacksAFinalNewline() throws Exception {
        Files.writeString(sshDirectory.resolve("known_hosts"), web2.address() + " " + web2.publicKey());
        Compiler compiler = project(entry(web1, "") + entry(web2, ""), "resources: []\n");
        try (Transports transports = transports(options(true))) {
            transports.forHost(compiler.project().hosts().get("web1")).facts();
        }
        try (Transports transports = transports()) {
            assertThat(transports.forHost(compiler.project().hosts().get("web1")).facts()).containsEntry("hostname", "web1");
            assertThat(transports.forHost(compiler.project().hosts().get("web2")).facts()).containsEntry("hostname", "web2");
        }
        assertThat(Files.readAllLines(sshDirectory.resolve("known_hosts"))).hasSize(2);
    }

    @Test
    void hostsMetAtOnceUnderAcceptNewRecordTheirKeyOnce() throws Exception {
        Files.delete(sshDirectory.resolve("known_hosts"));
        List<String> names = List.of("a1", "a2", "a3", "a4", "a5", "a6");
        Compiler compiler = project(names.stream().map(name -> "  " + name + ": { address: " + web1.address()
                + ", identity: " + hosts.clientKey() + ", groups: [all], env: dev }\n").collect(Collectors.joining()),
                "resources: []\n");
        try (Transports transports = transports(options(true))) {
            List<CompletableFuture<Map<String, Object>>> facts = names.stream().map(name -> CompletableFuture.supplyAsync(() -> {
                try {
                    return transports.forHost(compiler.project().hosts().get(name)).facts();
                } catch (HostUnreachableException e) {
                    throw new IllegalStateException(e);
                }
            })).toList();
            assertThat(facts).allSatisfy(each -> assertThat(each.join()).containsEntry("hostname", "web1"));
        }
        assertThat(Files.readAllLines(sshDirectory.resolve("known_hosts"))).hasSize(1);
    }

    @Test
    void aHostKnownOnlyByItsEcdsaKeyIsAskedForThatKey() throws Exception {
        Files.writeString(sshDirectory.resolve("known_hosts"), ecdsa.address() + " " + ecdsa.publicKey("ecdsa") + "\n");
        Compiler compiler = project(entry(ecdsa, ""), "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(transports.forHost(compiler.project().hosts().get("ecdsa")).facts()).containsEntry("hostname", "ecdsa");
        }
    }

    @Test
    void anUnknownKeyOfAJumpHostIsNamed() throws Exception {
        Files.writeString(sshDirectory.resolve("known_hosts"), web1.address() + " " + web1.publicKey() + "\n");
        Files.writeString(sshDirectory.resolve("config"), String.join("\n",
                "Host behind", "  HostName " + web1.address(), "  User root", "  ProxyJump jump",
                "  IdentityFile " + hosts.clientKey(),
                "Host jump", "  HostName " + web2.address(), "  User root", "  IdentityFile " + hosts.clientKey(), ""));
        Compiler compiler = project("  behind: { address: behind, groups: [all], env: dev }\n", "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(factsFailure(transports, compiler, "behind")).hasMessageStartingWith(
                    "host key not known: " + web2.address() + " offers ssh-ed25519 SHA256:");
        }
    }

    // become: root runs only what root keeps.

    @Test
    void becomeKeepsTheAgentJarInRootsOwnDirectoryAndSendsItAgainWhenItChanged() throws Exception {
        Compiler compiler = project(entry(users, ", user: " + SshTestHosts.BECOME_USER + ", become: true"), MOTD);
        try (Transports transports = transports()) {
            assertThat(apply(transports, compiler, "users").error()).isNull();
        }
        Path agentDirectory = users.path("/var/lib/plumb/agent");
        assertThat(Files.getAttribute(agentDirectory, "unix:uid")).isEqualTo(0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(agentDirectory))).isEqualTo("rwx------");
        Path jar;
        try (Stream<Path> files = Files.list(agentDirectory)) {
            jar = files.filter(file -> file.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        assertThat(users.home().resolve("home-" + SshTestHosts.BECOME_USER + "/.cache/plumb")).doesNotExist();

        Files.writeString(jar, "not the agent");
        int uploadsBefore = AgentJar.uploads();
        try (Transports transports = transports()) {
            assertThat(apply(transports, compiler, "users").error()).isNull();
        }
        assertThat(AgentJar.uploads()).as("a jar that changed is sent again").isEqualTo(uploadsBefore + 1);
        assertThat(Files.readAllBytes(jar)).isEqualTo(Files.readAllBytes(TestAgentJar.sentToHosts()));
    }

    @Test
    void aJarCacheOthersCanWriteIsRefused() throws Exception {
        Path cache = users.home().resolve("home-" + SshTestHosts.BECOME_USER + "/.cache");
        Files.createDirectories(cache);
        Files.setAttribute(cache, "unix:uid", 4242);
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        Compiler compiler = project(entry(users, ", user: " + SshTestHosts.BECOME_USER), "resources: []\n");
        try (Transports transports = transports()) {
            assertThat(factsFailure(transports, compiler, "users")).hasMessage("refusing to run the agent from "
                    + "~/.cache/plumb on " + SshTestHosts.BECOME_USER + "@" + users.address() + ": ~/.cache is owned by "
                    + "uid 4242 with mode drwxrwxrwx, so another user could change what runs; make ~/.cache and "
                    + "~/.cache/plumb " + SshTestHosts.BECOME_USER + "'s own and not writable by others (chmod go-w)");
        } finally {
            Files.delete(cache);
        }
    }
}
