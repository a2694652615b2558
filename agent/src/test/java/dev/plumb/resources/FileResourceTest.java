package dev.plumb.resources;

import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.instantiate;
import static dev.plumb.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.Fixtures;
import dev.plumb.api.Action;
import dev.plumb.api.Backup;
import dev.plumb.api.Change;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.Context;
import dev.plumb.api.ResourceException;
import dev.plumb.KilledRun;
import dev.plumb.Nobody;
import dev.plumb.SmallHeap;
import dev.plumb.system.BackupStore;
import dev.plumb.system.Hashing;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileResourceTest {

    private static final CommandRunner NO_COMMANDS = command -> {
        throw new AssertionError("a file resource ran " + command);
    };

    @TempDir
    Path dir;

    private Path backups;
    private Context context;

    @BeforeEach
    void setUp() throws IOException {
        // A diff shows the content only of a file every user could read, through every directory above it.
        Nobody.canEnter(dir);
        backups = dir.resolve("backups");
        context = Fixtures.context(NO_COMMANDS, backups);
    }

    private static FileResource file(Path path, Map<String, Object> attributes) {
        return instantiate("file", path.toString(), attributes);
    }

    private static String modeOf(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void createsTheFileWithItsContentAndMode() throws Exception {
        Path path = dir.resolve("app.conf");

        Change change = file(path, with(content("port=80\n"), "mode", "0644")).converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.entries()).containsExactly(new Change.Entry(Action.CREATE, "ensure", null, "file", "create file, mode 0644"));
        assertThat(change.diff()).isEqualTo("--- /dev/null\n+++ " + path + "\n@@ -0,0 +1 @@\n+port=80\n");
        assertThat(Files.readString(path)).isEqualTo("port=80\n");
        assertThat(modeOf(path)).isEqualTo("rw-r--r--");
        assertThat(change.backups()).isEmpty();
    }

    @Test
    void secondConvergeReportsNoChange() throws Exception {
        Path path = dir.resolve("app.conf");
        FileResource resource = file(path, with(content("port=80\n"), "mode", "0640"));
        resource.converge(context, true);

        Change second = resource.converge(context, true);

        assertThat(second.isNeeded()).isFalse();
        assertThat(second.action()).isEqualTo(Action.NONE);
        assertThat(second.details()).isEmpty();
        assertThat(second.diff()).isNull();
    }

    @Test
    void aThreeDigitModeMatchesTheSameFourDigitMode() throws Exception {
        Path path = dir.resolve("app.conf");
        file(path, with(content("x\n"), "mode", "0640")).converge(context, true);

        assertThat(file(path, with(content("x\n"), "mode", "640")).converge(context, false).isNeeded()).isFalse();
    }

    @Test
    void aPlanWritesNothing() throws Exception {
        Path path = dir.resolve("app.conf");

        Change change = file(path, with(content("port=80\n"), "mode", "0644")).converge(context, false);

        assertThat(change.action()).isEqualTo(Action.CREATE);
        assertThat(change.diff()).startsWith("--- /dev/null\n");
        assertThat(path).doesNotExist();
        assertThat(backups).doesNotExist();
    }

    @Test
    void aPlanOfContentDriftLeavesTheFileAlone() throws Exception {
        Path path = dir.resolve("app.conf");
        Files.writeString(path, "port=80\n");

        Change change = file(path, content("port=81\n")).converge(context, false);

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(Files.readString(path)).isEqualTo("port=80\n");
        assertThat(change.backups()).isEmpty();
        assertThat(backups).doesNotExist();
    }

    @Test
    void contentDriftIsShownAsADiffAndApplyFixesItKeepingABackupOfTheOldContent() throws Exception {
        Path path = dir.resolve("app.conf");
        Files.writeString(path, "port=80\n");
        FileResource resource = file(path, content("port=81\n"));

        Change change = resource.converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.details()).containsExactly("content changed");
        assertThat(change.diff()).startsWith("--- " + path + "\n+++ " + path + "\n@@ -1 +1 @@\n")
                .contains("\n-port=80\n").contains("\n+port=81\n");
        assertThat(Files.readString(path)).isEqualTo("port=81\n");
        String oldSha = Hashing.sha256("port=80\n".getBytes(StandardCharsets.UTF_8));
        assertThat(change.backups()).containsExactly(new Backup(path.toString(), oldSha));
        assertThat(Files.readString(new BackupStore(backups).blob(oldSha))).isEqualTo("port=80\n");
        assertThat(resource.converge(context, true).isNeeded()).isFalse();
    }

    @Test
    void contentDriftKeepsTheFilesModeWhenTheModeIsUnmanaged() throws Exception {
        Path path = dir.resolve("app.conf");
        Files.writeString(path, "old\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));

        file(path, content("new\n")).converge(context, true);

        assertThat(modeOf(path)).isEqualTo("rw-------");
    }

    @Test
    void modeDriftIsReportedAndFixedWithoutTouchingTheContent() throws Exception {
        Path path = dir.resolve("app.conf");
        Files.writeString(path, "same\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));

        Change change = file(path, with(content("same\n"), "mode", "0644")).converge(context, true);

        assertThat(change.action()).isEqualTo(Action.CHANGE);
        assertThat(change.details()).containsExactly("mode changed '0600' to '0644'");
        assertThat(change.diff()).isNull();
        assertThat(change.backups()).isEmpty();
        assertThat(modeOf(path)).isEqualTo("rw-r--r--");
        assertThat(Files.readString(path)).isEqualTo("same\n");
    }

    @Test
    void aPlanOfModeDriftLeavesTheModeAlone() throws Exception {
        Path path = dir.resolve("app.conf");
        Files.writeString(path, "same\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));

        Change change = file(path, with(content("same\n"), "mode", "0644")).converge(context, false);

        assertThat(change.details()).containsExactly("mode changed '0600' to '0644'");
        assertThat(modeOf(path)).isEqualTo("rw-------");
    }

    @Test
    void aSensitiveFileNeverShowsItsContent() throws Exception {
        Path path = dir.resolve("secret");
        FileResource resource = file(path, with(content("password=hunter2\n"), "sensitive", true));

        Change created = resource.converge(context, true);
        Files.writeString(path, "password=swordfish\n");
        Change drifted = resource.converge(context, false);

        assertThat(created.diff()).isEqualTo("(content not shown: " + path + " is sensitive)");
        assertThat(drifted.diff()).isEqualTo("(content not shown: " + path + " is sensitive)");
        assertThat(String.join("\n", created.details()) + String.join("\n", drifted.details()))
                .doesNotContain("hunter2").doesNotContain("swordfish");
        assertThat(contentEntry(drifted).before()).isEqualTo(Change.SENSITIVE);
    }

    @Test
    void aNewFileShowsNoContentItsNameModeOrContentMarksSecret() throws Exception {
        Path key = dir.resolve("tls.key");
        Path privateFile = dir.resolve("db.conf");
        Path pem = dir.resolve("server.pem");

        Change keyPlan = file(key, content("secret-key-material\n")).converge(context, false);
        Change privatePlan = file(privateFile, with(content("password=hunter2\n"), "mode", "0600")).converge(context, false);
        Change pemPlan = file(pem, content("-----BEGIN PRIVATE KEY-----\nMIIE\n")).converge(context, false);
        Change publicPlan = file(dir.resolve("motd"), content("hello\n")).converge(context, false);

        assertThat(keyPlan.diff()).isEqualTo("(content not shown: " + key + " is sensitive)");
        assertThat(privatePlan.diff()).isEqualTo("(content not shown: " + privateFile + " is not readable by every user)");
        assertThat(pemPlan.diff()).isEqualTo("(content not shown: " + pem + " is sensitive)");
        assertThat(publicPlan.diff()).contains("+hello");
    }

    @Test
    void aFileNotEveryUserMayReadShowsNeitherItsOldContentNorItsHash() throws Exception {
        Path path = Files.writeString(dir.resolve("app.conf"), "oldcontent TOPSECRET\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));

        Change change = file(path, content("new\n")).converge(context, false);

        assertThat(change.diff()).isEqualTo("(content not shown: " + path + " is not readable by every user)");
        assertThat(contentEntry(change).before()).isEqualTo(Change.SENSITIVE);
        assertThat(change.entries().toString()).doesNotContain(Hashing.sha256(Files.readAllBytes(path)));
    }

    @Test
    void aKeyFileEveryoneMayReadStillShowsNoneOfItsOldContent() throws Exception {
        Path path = Files.writeString(dir.resolve("tls.key"), "oldcontent TOPSECRET\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));

        Change change = file(path, content("new\n")).converge(context, false);

        assertThat(change.diff()).isEqualTo("(content not shown: " + path + " is sensitive)");
        assertThat(contentEntry(change).before()).isEqualTo(Change.SENSITIVE);
    }

    @Test
    void aPrivateKeyInTheOldContentIsNotShown() throws Exception {
        Path path = Files.writeString(dir.resolve("app.pem"), "-----BEGIN PRIVATE KEY-----\nTOPSECRET\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));

        Change change = file(path, content("new\n")).converge(context, false);

        assertThat(change.diff()).isEqualTo("(content not shown: " + path + " is sensitive)");
        assertThat(contentEntry(change).before()).isEqualTo(Change.SENSITIVE);
    }

    @Test
    void aFileEveryoneMayReadShowsItsOldHash() throws Exception {
        Path path = Files.writeString(dir.resolve("app.conf"), "port=80\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));

        Change change = file(path, content("port=81\n")).converge(context, false);

        assertThat(contentEntry(change).before()).isEqualTo(Hashing.sha256("port=80\n".getBytes(StandardCharsets.UTF_8)));
    }

    private static Change.Entry contentEntry(Change change) {
        return change.entries().stream().filter(entry -> entry.attribute().equals("content")).findFirst().orElseThrow();
    }

    @Test
    void binaryContentFromBase64IsWrittenAsIs() throws Exception {
        Path path = dir.resolve("blob.bin");
        byte[] bytes = {0, 1, 2, (byte) 0xff};
        FileResource resource = file(path, Map.of("contentBase64", Base64.getEncoder().encodeToString(bytes),
                "sha256", Hashing.sha256(bytes)));

        Change change = resource.converge(context, true);

        assertThat(change.diff()).isEqualTo("binary content changed (0 bytes to 4 bytes)");
        assertThat(Files.readAllBytes(path)).containsExactly(bytes);
        assertThat(resource.converge(context, true).isNeeded()).isFalse();
    }

    @Test
    void ensureAbsentRemovesTheFileAndBacksItUp() throws Exception {
        Path path = dir.resolve("old.conf");
        Files.writeString(path, "obsolete\n");
        FileResource resource = file(path, Map.of("ensure", "absent"));

        Change change = resource.converge(context, true);

        assertThat(change.action()).isEqualTo(Action.REMOVE);
        assertThat(change.details()).containsExactly("remove file");
        assertThat(path).doesNotExist();
        String sha = Hashing.sha256("obsolete\n".getBytes(StandardCharsets.UTF_8));
        assertThat(change.backups()).containsExactly(new Backup(path.toString(), sha));
        assertThat(Files.readString(new BackupStore(backups).blob(sha))).isEqualTo("obsolete\n");
        assertThat(resource.converge(context, true).isNeeded()).isFalse();
    }

    @Test
    void aPlanToRemoveAFileKeepsIt() throws Exception {
        Path path = dir.resolve("old.conf");
        Files.writeString(path, "obsolete\n");

        Change change = file(path, Map.of("ensure", "absent")).converge(context, false);

        assertThat(change.action()).isEqualTo(Action.REMOVE);
        assertThat(Files.readString(path)).isEqualTo("obsolete\n");
        assertThat(backups).doesNotExist();
    }

    @Test
    void aDirectoryAtThePathFailsWithAClearMessage() throws Exception {
        Path path = dir.resolve("conf.d");
        Files.createDirectory(path);

        assertThatThrownBy(() -> file(path, content("x\n")).converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage(path + " exists but is not a regular file (a directory); remove it or manage it with the "
                        + "matching resource type");
        assertThat(path).isDirectory();
    }

    @Test
    void aSymlinkAtThePathIsReplacedByTheFileNotWrittenThrough() throws Exception {
        Path target = dir.resolve("real");
        Files.writeString(target, "real\n");
        Path path = dir.resolve("link");
        Files.createSymbolicLink(path, target);

        Change change = file(path, with(content("x\n"), "mode", "0600")).converge(context, true);

        assertThat(change.details()).containsExactly("replace symlink to '" + target + "' with a file, mode 0600");
        assertThat(Files.isSymbolicLink(path)).isFalse();
        assertThat(Files.readString(path)).isEqualTo("x\n");
        assertThat(Files.readString(target)).isEqualTo("real\n");
    }

    @Test
    void aSymlinkIsNotReplacedByAFileWhoseContentIsUnmanaged() throws Exception {
        Path target = Files.writeString(dir.resolve("real"), "real\n");
        Path path = Files.createSymbolicLink(dir.resolve("link"), target);

        assertThatThrownBy(() -> file(path, Map.of("mode", "0600")).converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage(path + " is a symlink (to '" + target + "'); without content a file resource would replace "
                        + "it with an empty file: give the content, or manage the link as a symlink resource");
        assertThat(Files.isSymbolicLink(path)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isNotEqualTo("rw-------");
    }

    @Test
    void aPlannedSymlinkToASecretShowsNoneOfIt() throws Exception {
        Path secret = dir.resolve("shadow");
        Files.writeString(secret, "root:$6$secret\n");
        Path path = dir.resolve("link");
        Files.createSymbolicLink(path, secret);

        Change change = file(path, content("x\n")).converge(context, false);

        assertThat(change.diff()).doesNotContain("secret");
        assertThat(Files.isSymbolicLink(path)).isTrue();
    }

    @Test
    void ensureAbsentRemovesASymlinkButNotItsTarget() throws Exception {
        Path target = dir.resolve("real");
        Files.writeString(target, "real\n");
        Path path = dir.resolve("link");
        Files.createSymbolicLink(path, target);

        Change change = file(path, Map.of("ensure", "absent")).converge(context, true);

        assertThat(change.details()).containsExactly("remove symlink to '" + target + "'");
        assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.readString(target)).isEqualTo("real\n");
    }

    @Test
    void ensureAbsentRemovesLinksPointingOutsideWithoutTouchingWhatTheyName() throws Exception {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Path kept = Files.writeString(outside.resolve("default"), "server { listen 80; }\n");
        Path sites = Files.createDirectory(dir.resolve("sites-enabled"));
        Path toFile = Files.createSymbolicLink(sites.resolve("default"), kept);
        Path toDirectory = Files.createSymbolicLink(sites.resolve("all"), outside);
        Path dangling = Files.createSymbolicLink(sites.resolve("gone"), dir.resolve("nowhere"));

        for (Path link : List.of(toFile, toDirectory, dangling)) {
            Path target = Files.readSymbolicLink(link);

            Change change = file(link, Map.of("ensure", "absent")).converge(context, true);

            assertThat(change.details()).containsExactly("remove symlink to '" + target + "'");
            assertThat(change.backups()).as("a link has no content to back up").isEmpty();
        }
        assertThat(sites.toFile().list()).isEmpty();
        assertThat(kept).hasContent("server { listen 80; }\n");
        assertThat(outside.toFile().list()).containsExactly("default");
        assertThat(file(toFile, Map.of("ensure", "absent")).converge(context, true).isNeeded()).isFalse();
    }

    @Test
    void aLinkItsOwnerSwappedInAfterThePlanIsRemovedItselfAndItsTargetNeverTouched() throws Exception {
        assumeTrue(Nobody.available(), "the attack runs as nobody");
        Path secret = Files.writeString(dir.resolve("secret"), "root-only\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path userDir = Files.createDirectory(dir.resolve("userdir"));
        Nobody.owns(userDir);
        Path path = userDir.resolve("app.conf");
        Nobody.run("echo a=1 > " + path);
        Change plan = file(path, Map.of("ensure", "absent")).converge(context, false);
        Nobody.run("ln -sfn " + secret + " " + path);

        Change change = file(path, Map.of("ensure", "absent")).converge(context, true);

        assertThat(plan.details()).containsExactly("remove file");
        assertThat(change.details()).containsExactly("remove symlink to '" + secret + "'");
        assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(secret).hasContent("root-only\n");
        assertThat(modeOf(secret)).isEqualTo("rw-------");
        assertThat(new BackupStore(backups).blob(Hashing.sha256("root-only\n".getBytes(StandardCharsets.UTF_8))))
                .doesNotExist();
    }

    @Test
    void aSwapLoopDuringRemovalNeverRemovesNorBacksUpWhatTheLinkNames() throws Exception {
        assumeTrue(Nobody.available(), "the attack runs as nobody");
        Path secret = Files.writeString(dir.resolve("secret"), "root-only\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path userDir = Files.createDirectory(dir.resolve("userdir"));
        Nobody.owns(userDir);
        Path path = userDir.resolve("app.conf");
        Path stop = userDir.resolve("stop");
        Nobody.Attack swapping = Nobody.start("cd " + userDir + " && while [ ! -e stop ]; do "
                + "echo a=1 > r.tmp; mv -fT r.tmp app.conf; ln -sfn " + secret + " l.tmp; mv -fT l.tmp app.conf; done");
        int linksRemoved = 0;
        try {
            FileResource absent = file(path, Map.of("ensure", "absent"));
            // At least 300 removals, and on until one removed a link (the swapper may be slow to get going on a
            // loaded machine), within a minute. A removal that meets a swap half-way fails; none may follow the link.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; i < 300 || linksRemoved == 0 && System.nanoTime() < deadline; i++) {
                try {
                    if (absent.converge(context, true).details().contains("remove symlink to '" + secret + "'")) {
                        linksRemoved++;
                    }
                } catch (ResourceException | IOException e) {
                    // the swap won this round; what matters is below
                }
            }
        } finally {
            Files.writeString(stop, "");
        }
        swapping.finish();
        assertThat(linksRemoved).as("removals that met the link").isPositive();
        assertThat(secret).hasContent("root-only\n");
        assertThat(modeOf(secret)).isEqualTo("rw-------");
        assertThat(new BackupStore(backups).blob(Hashing.sha256("root-only\n".getBytes(StandardCharsets.UTF_8))))
                .doesNotExist();
    }

    @Test
    void ensureAbsentThroughASymlinkedParentIsRefusedNamingTheLink() throws Exception {
        Path victim = Files.createDirectory(dir.resolve("victim"));
        Files.writeString(victim.resolve("keep"), "precious\n");
        Path link = Files.createSymbolicLink(dir.resolve("sl"), victim);
        Path path = link.resolve("keep");

        assertThatThrownBy(() -> file(path, Map.of("ensure", "absent")).converge(context, false))
                .isInstanceOf(ResourceException.class)
                .hasMessage("refusing to remove " + path + ": its parent " + link + " is a symlink (to '" + victim
                        + "') in a directory that a user other than root owns or can write, or below one; plumb "
                        + "follows only links that root owns in directories only root can write: write the path "
                        + "without the link");
        assertThatThrownBy(() -> file(path, Map.of("ensure", "absent")).converge(context, true))
                .isInstanceOf(ResourceException.class);
        assertThat(Files.readString(victim.resolve("keep"))).isEqualTo("precious\n");
    }

    @Test
    void aMissingParentDirectoryFailsInAPlanToo() {
        Path path = dir.resolve("missing").resolve("app.conf");

        assertThatThrownBy(() -> file(path, content("x\n")).converge(context, false))
                .isInstanceOf(ResourceException.class)
                .hasMessage("parent directory " + path.getParent() + " does not exist; declare it as a directory resource");
    }

    @Test
    void aPlanCountsOnAParentThatADirectoryResourceCreates() throws Exception {
        Path path = dir.resolve("missing").resolve("app.conf");
        Context planned = context.withManagedPaths(Set.of(path, path.getParent()), Set.of(path.getParent()));

        Change change = file(path, content("x\n")).converge(planned, false);

        assertThat(change.action()).isEqualTo(Action.CREATE);
    }

    @Test
    void aParentThatIsOnlyAnAncestorOfManagedPathsIsNotCountedOn() {
        Path path = dir.resolve("missing").resolve("app.conf");
        Context planned = context.withManagedPaths(Set.of(path, path.getParent().resolve("other")), Set.of());

        assertThatThrownBy(() -> file(path, content("x\n")).converge(planned, false))
                .isInstanceOf(ResourceException.class)
                .hasMessageContaining("does not exist; declare it as a directory resource");
    }

    @Test
    void aStrayTempFileFromAKilledRunIsDriftAndIsRemoved() throws Exception {
        Path path = dir.resolve("app.conf");
        FileResource resource = file(path, content("x\n"));
        resource.converge(context, true);
        Path stray = KilledRun.temporaryNextTo(path);
        Files.writeString(stray, "half a secret");

        Change check = resource.converge(context, false);
        assertThat(check.details()).containsExactly("remove stray temp file " + stray);
        assertThat(stray).exists();

        resource.converge(context, true);
        assertThat(stray).doesNotExist();
        assertThat(resource.converge(context, false).isNeeded()).isFalse();
    }

    @Test
    void anEmptyModeIsInvalid() {
        assertThat(file(dir.resolve("a"), Map.of("mode", "")).validate()).extracting(p -> p.attribute())
                .containsExactly("mode");
    }

    @Test
    void aMissingParentDirectoryFailsNamingIt() throws Exception {
        Path path = dir.resolve("missing").resolve("app.conf");

        assertThatThrownBy(() -> file(path, content("x\n")).converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage("parent directory " + path.getParent() + " does not exist; declare it as a directory resource");
    }

    @Test
    void validationNamesEveryBrokenAttribute() {
        FileResource resource = file(Path.of("relative"), Map.of("content", "x", "mode", "999", "ensure", "presnt"));

        assertThat(resource.validate()).extracting(p -> p.attribute())
                .containsExactlyInAnyOrder("path", "ensure", "mode", "sha256");
    }

    @Test
    void ownerAndGroupAreChanged() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing owners needs root");
        Path path = dir.resolve("owned");
        Files.writeString(path, "x\n");

        Change change = file(path, with(content("x\n"), "owner", "nobody", "group", "nogroup")).converge(context, true);

        assertThat(change.details()).containsExactly("owner changed 'root' to 'nobody'", "group changed 'root' to 'nogroup'");
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(attributes.owner().getName()).isEqualTo("nobody");
        assertThat(attributes.group().getName()).isEqualTo("nogroup");
        assertThat(file(path, with(content("x\n"), "owner", "nobody", "group", "nogroup")).converge(context, true)
                .isNeeded()).isFalse();
    }

    @Test
    void aNewFileGetsItsOwnerAndGroup() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing owners needs root");
        Path path = dir.resolve("owned");

        Change change = file(path, with(content("x\n"), "mode", "0600", "owner", "nobody", "group", "nogroup"))
                .converge(context, true);

        assertThat(change.details()).containsExactly("create file, mode 0600, owner nobody, group nogroup");
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(attributes.owner().getName()).isEqualTo("nobody");
        assertThat(attributes.group().getName()).isEqualTo("nogroup");
        assertThat(PosixFilePermissions.toString(attributes.permissions())).isEqualTo("rw-------");
    }

    @Test
    void aFileBelowALinkItsUserPlantedForAParentIsRefusedAndNothingIsWrittenWhereItPoints() throws Exception {
        assumeTrue(Nobody.available(), "the attack runs as nobody");
        Path rootSsh = Files.createDirectory(dir.resolve("root-ssh"));
        Path rootKeys = Files.writeString(rootSsh.resolve("authorized_keys"), "root's key\n");
        Path home = Files.createDirectory(dir.resolve("home"));
        Nobody.canEnter(dir);
        Nobody.owns(home);
        Nobody.run("ln -s " + rootSsh + " " + home.resolve(".ssh"));
        Path keys = home.resolve(".ssh").resolve("authorized_keys");

        for (Map<String, Object> attributes : List.of(content("attacker's key\n"), Map.<String, Object>of("ensure", "absent"))) {
            assertThatThrownBy(() -> file(keys, attributes).converge(context, true))
                    .isInstanceOf(ResourceException.class)
                    .hasMessageStartingWith("refusing to " + ("absent".equals(attributes.get("ensure")) ? "remove" : "write")
                            + " " + keys + ": its parent " + home.resolve(".ssh") + " is a symlink (to '" + rootSsh + "')");
        }
        assertThat(rootKeys).hasContent("root's key\n");
        assertThat(rootSsh.toFile().list()).containsExactly("authorized_keys");
    }

    @Test
    void aFileBelowAMergedUsrLinkIsRemoved() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/lib")) && Nobody.available(), "a merged-/usr host, as root");
        Path unit = Files.createTempFile(Path.of("/usr/lib"), "plumb-test-", ".service");
        try {
            Path throughLink = Path.of("/lib").resolve(unit.getFileName());

            Change change = file(throughLink, Map.of("ensure", "absent")).converge(context, true);

            assertThat(change.details()).containsExactly("remove file");
            assertThat(unit).doesNotExist();
        } finally {
            Files.deleteIfExists(unit);
        }
    }

    @Test
    void aManagedFileAUserGrewPastTheHeapIsComparedWithoutLoadingIt() throws Exception {
        Path path = dir.resolve("app.log");
        long size = 8L * SmallHeap.HEAP_MB * 1024 * 1024;
        try (RandomAccessFile grown = new RandomAccessFile(path.toFile(), "rw")) {
            grown.setLength(size); // sparse
        }

        assertThat(SmallHeap.run(PlanSmallContent.class, path.toString(), backups.toString()))
                .isEqualTo("[content changed] content changed (" + size + " bytes; too large to show)\n");
    }

    /** Run in a small heap: plans a small content for the file named, prints the details and the diff. */
    static final class PlanSmallContent {
        public static void main(String[] args) throws Exception {
            Change change = file(Path.of(args[0]), content("small\n")).converge(Fixtures.context(NO_COMMANDS,
                    Path.of(args[1])), false);
            System.out.println(change.details() + " " + change.diff());
        }
    }
}
