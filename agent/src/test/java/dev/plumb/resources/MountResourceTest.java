package dev.plumb.resources;

import static dev.plumb.Fixtures.catalog;
import static dev.plumb.Fixtures.content;
import static dev.plumb.Fixtures.instantiate;
import static dev.plumb.Fixtures.resource;
import static dev.plumb.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.plumb.agent.BuiltInTypes;
import dev.plumb.api.Action;
import dev.plumb.api.Change;
import dev.plumb.api.Diagnostic;
import dev.plumb.catalog.CatalogResource;
import dev.plumb.catalog.Mode;
import dev.plumb.catalog.ResourceResult;
import dev.plumb.catalog.Status;
import dev.plumb.engine.Engine;
import dev.plumb.testhosts.BootedHost;
import dev.plumb.testhosts.CommandOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code mount} type, applied by the real agent inside a Debian host with systemd as PID 1: its /etc/fstab and its
 * mounts are its own, and go with it. Each test starts from an fstab with a comment and an entry of someone else's,
 * and mounts tmpfs file systems on mount points of its own.
 */
class MountResourceTest {

    private static final String OTHERS = "# /etc/fstab: kept by hand\nproc  /proc  proc  defaults  0  0\n";

    @RegisterExtension
    static final BootedHost booted = new BootedHost("plumbtest-mount");

    private String mountPoint;

    @BeforeEach
    void startFromAnFstabOfOthers() throws Exception {
        mountPoint = "/mnt/plumbtest-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(fstab(), OTHERS);
    }

    private static Path fstab() {
        return booted.host().root().resolve("etc/fstab");
    }

    private CatalogResource mount(Object... attributes) {
        return resource("mount", mountPoint, with(Map.of("device", "plumbtest", "fstype", "tmpfs"), attributes));
    }

    private static ResourceResult run(Mode mode, CatalogResource... resources) throws Exception {
        return booted.agent().run(catalog(resources), mode).resources().get(0);
    }

    private static String inHost(String... command) throws Exception {
        CommandOutput output = booted.host().exec(command);
        assertThat(output.succeeded()).as(String.join(" ", command) + ": " + output.output()).isTrue();
        return output.output().strip();
    }

    /** What is mounted on {@code path} now, as findmnt shows it: type, source and options; empty when nothing is. */
    private static String mounted(String path) throws Exception {
        return booted.host().exec("findmnt", "--noheadings", "--output", "FSTYPE,SOURCE,OPTIONS", "--mountpoint", path).output()
                .strip();
    }

    @Test
    void mountsAndAddsItsFstabLineAndASecondApplyChangesNothing() throws Exception {
        String line = "plumbtest " + mountPoint + " tmpfs size=1m 0 0";

        ResourceResult first = run(Mode.APPLY, mount("options", "size=1m"));
        ResourceResult second = run(Mode.APPLY, mount("options", "size=1m"));

        assertThat(first.status()).as(first.error()).isEqualTo(Status.CHANGED);
        assertThat(first.changes()).extracting(Change.Entry::action, Change.Entry::attribute, Change.Entry::before,
                Change.Entry::after).containsExactly(
                        tuple(Action.CHANGE, "fstab", null, line),
                        tuple(Action.CREATE, "ensure", null, "directory"),
                        tuple(Action.CREATE, "ensure", "unmounted", "mounted"));
        assertThat(first.details()).containsExactly("add to /etc/fstab: " + line, "create directory",
                "mount tmpfs plumbtest on " + mountPoint);
        assertThat(first.backups()).hasSize(1);
        assertThat(Files.readString(fstab())).isEqualTo(OTHERS + line + "\n");
        assertThat(mounted(mountPoint)).startsWith("tmpfs  plumbtest").contains("size=1024k");
        assertThat(second.status()).as(second.error()).isEqualTo(Status.IN_SYNC);
    }

    @Test
    void newOptionsRemountInPlaceKeepingWhatIsOnIt() throws Exception {
        run(Mode.APPLY, mount("options", "size=1m"));
        inHost("touch", mountPoint + "/kept");

        ResourceResult changed = run(Mode.APPLY, mount("options", "size=2m"));

        assertThat(changed.details()).as(changed.error()).containsExactly(
                "fstab changed 'plumbtest " + mountPoint + " tmpfs size=1m 0 0' to 'plumbtest " + mountPoint
                        + " tmpfs size=2m 0 0'",
                "remount " + mountPoint + " with size=2m");
        assertThat(mounted(mountPoint)).contains("size=2048k");
        assertThat(booted.host().exec("test", "-e", mountPoint + "/kept").succeeded()).as("not unmounted").isTrue();
    }

    @Test
    void aPlanShowsTheChangesAndChangesNothing() throws Exception {
        ResourceResult plan = run(Mode.PLAN, mount());

        assertThat(plan.status()).as(plan.error()).isEqualTo(Status.WOULD_CHANGE);
        assertThat(plan.details()).containsExactly("add to /etc/fstab: plumbtest " + mountPoint + " tmpfs defaults 0 0",
                "create directory", "mount tmpfs plumbtest on " + mountPoint);
        assertThat(plan.diff()).contains("+plumbtest " + mountPoint + " tmpfs defaults 0 0");
        assertThat(Files.readString(fstab())).isEqualTo(OTHERS);
        assertThat(mounted(mountPoint)).isEmpty();
        assertThat(booted.host().exec("test", "-e", mountPoint).succeeded()).as("the mount point is not created").isFalse();
    }

    @Test
    void presentWritesFstabOnlyAndAbsentUnmountsAndRemovesOnlyItsOwnLine() throws Exception {
        ResourceResult present = run(Mode.APPLY, mount("ensure", "present"));
        boolean mountedWhenPresent = !mounted(mountPoint).isEmpty();
        inHost("mkdir", mountPoint);
        inHost("mount", mountPoint);

        ResourceResult absent = run(Mode.APPLY, resource("mount", mountPoint, Map.of("ensure", "absent")));
        ResourceResult again = run(Mode.APPLY, resource("mount", mountPoint, Map.of("ensure", "absent")));

        assertThat(present.details()).as(present.error()).hasSize(1);
        assertThat(mountedWhenPresent).isFalse();
        assertThat(absent.details()).as(absent.error()).containsExactly("unmount " + mountPoint,
                "remove from /etc/fstab: plumbtest " + mountPoint + " tmpfs defaults 0 0");
        assertThat(mounted(mountPoint)).isEmpty();
        assertThat(Files.readString(fstab())).isEqualTo(OTHERS);
        assertThat(booted.host().exec("test", "-d", mountPoint).succeeded()).as("the mount point stays").isTrue();
        assertThat(again.status()).as(again.error()).isEqualTo(Status.IN_SYNC);
    }

    @Test
    void whatIsMountedBelowByHandIsNeverUnmountedWithIt() throws Exception {
        run(Mode.APPLY, mount());
        inHost("mkdir", mountPoint + "/below");
        inHost("mount", "-t", "tmpfs", "byhand", mountPoint + "/below");

        ResourceResult absent = run(Mode.APPLY, resource("mount", mountPoint, Map.of("ensure", "absent")));

        assertThat(absent.status()).isEqualTo(Status.FAILED);
        assertThat(absent.error()).startsWith("umount " + mountPoint + " failed with exit code 32:");
        assertThat(mounted(mountPoint + "/below")).startsWith("tmpfs  byhand");
        assertThat(mounted(mountPoint)).startsWith("tmpfs  plumbtest");
        assertThat(Files.readString(fstab())).as("its line stays while it is mounted").contains(mountPoint);
    }

    @Test
    void twoLinesForTheMountPointFailNamingThem() throws Exception {
        Files.writeString(fstab(), OTHERS + "a " + mountPoint + " tmpfs defaults 0 0\nb " + mountPoint + " tmpfs ro 0 0\n");

        ResourceResult result = run(Mode.APPLY, mount());

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.error()).isEqualTo("/etc/fstab mounts something on " + mountPoint + " in 2 lines (line 3, "
                + "line 4); keep one of them by hand, and plumb manages it");
    }

    @Test
    void whatTheCatalogPutsOnAMountComesAfterItAndAMountAfterTheDirectoryAboveIt() throws Exception {
        Engine.Prepared prepared = Engine.prepare(catalog(resource("file", "/srv/data/app/config", content("x")),
                resource("directory", "/srv/data/app", Map.of()),
                resource("mount", "/srv/data", Map.of("device", "LABEL=data", "fstype", "ext4")),
                resource("directory", "/srv", Map.of())), BuiltInTypes.REGISTRY);

        assertThat(prepared.order()).containsExactly("directory:/srv", "mount:/srv/data", "directory:/srv/data/app",
                "file:/srv/data/app/config");
    }

    @Test
    void validationNamesEachBrokenAttribute() {
        assertThat(((MountResource) instantiate("mount", "/", Map.of("ensure", "mountd", "fstype", "ext4",
                "options", "a b"))).validate()).containsExactly(
                        Diagnostic.ofAttribute("name", "is the root file system, which plumb does not mount or unmount"),
                        Diagnostic.ofAttribute("ensure", "'mountd' is not one of mounted, present, absent; did you mean "
                                + "'mounted'?"),
                        Diagnostic.ofAttribute("device", "is required: fstab names what is mounted, such as /dev/sdb1 or "
                                + "UUID=..."),
                        Diagnostic.ofAttribute("options", "'a b' is empty or holds whitespace, which would split the fstab "
                                + "line"));
        assertThat(((MountResource) instantiate("mount", "/srv", Map.of("ensure", "absent", "device", "x"))).validate())
                .containsExactly(Diagnostic.ofAttribute("device", "has no meaning for a mount that is absent"));
    }
}
