package dev.plumb.resources;

import static dev.plumb.Fixtures.instantiate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.plumb.Fixtures;
import dev.plumb.api.Action;
import dev.plumb.api.Change;
import dev.plumb.api.CommandRunner;
import dev.plumb.api.Context;
import dev.plumb.api.Diagnostic;
import dev.plumb.api.ResourceException;
import dev.plumb.system.Hashing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download resource against a real HTTP server on loopback, with real and hostile archives. */
class DownloadResourceTest {

    private static final CommandRunner NO_COMMANDS = command -> {
        throw new AssertionError("a download ran " + command);
    };
    private static final byte[] TOOL = "#!/bin/sh\necho tool 1.0\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private HttpServer server;
    private String base;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private Context context;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = served.get(exchange.getRequestURI().getPath());
            if (body == null) {
                respond(exchange, 404, new byte[0]);
            } else {
                respond(exchange, 200, body);
            }
        });
        server.createContext("/loop", exchange -> {
            exchange.getResponseHeaders().add("Location", "/loop");
            respond(exchange, 302, new byte[0]);
        });
        server.createContext("/stalls", exchange -> {
            exchange.sendResponseHeaders(200, 1000);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[10]);
                out.flush();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        context = Fixtures.context(NO_COMMANDS, dir.resolve("backups"));
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private String serve(String path, byte[] body) {
        served.put(path, body);
        return base + path;
    }

    private static DownloadResource download(Path path, String url, byte[] pinned, Object... more) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("url", url);
        attributes.put("sha256", Hashing.sha256(pinned));
        for (int i = 0; i < more.length; i += 2) {
            attributes.put((String) more[i], more[i + 1]);
        }
        DownloadResource resource = instantiate("download", path.toString(), attributes);
        assertThat(resource.validate()).isEmpty();
        return resource;
    }

    @Test
    void downloadsThePinnedFileAndASecondApplyChangesNothingWithoutTouchingTheNetwork() throws Exception {
        Path tool = dir.resolve("tool");
        DownloadResource resource = download(tool, serve("/tool", TOOL), TOOL, "mode", "0755");

        Change plan = resource.converge(context, false);
        assertThat(plan.action()).isEqualTo(Action.CREATE);
        assertThat(plan.details()).containsExactly("download " + base + "/tool");
        assertThat(requests.get()).as("a plan downloads nothing").isZero();

        resource.converge(context, true);
        assertThat(Files.readAllBytes(tool)).isEqualTo(TOOL);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tool))).isEqualTo("rwxr-xr-x");

        assertThat(resource.converge(context, true).isNeeded()).isFalse();
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void aMismatchFailsNamingBothHashesAndLeavesTheOldFile() throws Exception {
        Path tool = dir.resolve("tool");
        Files.writeString(tool, "old\n");
        byte[] tampered = "#!/bin/sh\nevil\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> download(tool, serve("/tool", tampered), TOOL).converge(context, true))
                .isInstanceOf(ResourceException.class)
                .hasMessage("sha256 mismatch for " + base + "/tool: expected " + Hashing.sha256(TOOL) + ", got "
                        + Hashing.sha256(tampered) + " (15 bytes); the download was discarded and nothing was changed");
        assertThat(Files.readString(tool)).isEqualTo("old\n");
        assertThat(entries(dir)).containsExactly("tool");
    }

    @Test
    void aReplacedFileIsBackedUpFirst() throws Exception {
        Path tool = dir.resolve("tool");
        Files.writeString(tool, "tool 0.9\n");

        Change change = download(tool, serve("/tool", TOOL), TOOL).converge(context, true);

        assertThat(change.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.before()).isEqualTo(Hashing.sha256("tool 0.9\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(entry.after()).isEqualTo(Hashing.sha256(TOOL));
        });
        assertThat(change.backups()).hasSize(1);
        assertThat(Files.readAllBytes(tool)).isEqualTo(TOOL);
    }

    @Test
    void sizeRedirectsStatusAndStallsAreBounded() {
        Path tool = dir.resolve("tool");
        byte[] big = new byte[4096];
        assertThatThrownBy(() -> download(tool, serve("/big", big), big, "max_size", "1K").converge(context, true))
                .hasMessage(base + "/big is 4096 bytes, larger than max_size (1024 bytes); raise max_size if that is expected");
        assertThatThrownBy(() -> download(tool, base + "/loop", TOOL).converge(context, true))
                .hasMessageStartingWith(base + "/loop redirected (HTTP 302) to /loop, which plumb does not follow");
        assertThatThrownBy(() -> download(tool, base + "/missing", TOOL).converge(context, true))
                .hasMessage(base + "/missing answered HTTP 404, expected 200");
        long started = System.nanoTime();
        assertThatThrownBy(() -> download(tool, base + "/stalls", TOOL, "timeout", 1).converge(context, true))
                .hasMessage(base + "/stalls did not finish downloading within 1 s; raise timeout if the file is that slow to come");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(tool).doesNotExist();
    }

    @Test
    void extractsATarGzIntoTheDirectoryAndTheMarkerMakesTheNextApplyANoOp() throws Exception {
        Path source = dir.resolve("source");
        String longName = "lib/" + "a".repeat(120) + ".txt";
        Files.createDirectories(source.resolve("bin"));
        Files.createDirectories(source.resolve("lib"));
        Files.write(source.resolve("bin/tool"), TOOL);
        run("chmod", "4755", source.resolve("bin/tool").toString());
        Files.writeString(source.resolve(longName), "long\n");
        Files.createSymbolicLink(source.resolve("lib/current"), Path.of("../bin/tool"));
        byte[] v1 = run("tar", "-C", source.toString(), "-czf", "-", "bin", "lib");
        Path app = dir.resolve("app");

        DownloadResource resource = download(app, serve("/app-1.tar.gz", v1), v1, "extract", "tar.gz");
        assertThat(resource.converge(context, true).details())
                .containsExactly("download " + base + "/app-1.tar.gz and extract it (tar.gz)");

        assertThat(Files.readAllBytes(app.resolve("bin/tool"))).isEqualTo(TOOL);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(app.resolve("bin/tool"))))
                .as("set-user-ID dropped").isEqualTo("rwxr-xr-x");
        assertThat(Files.readString(app.resolve(longName))).isEqualTo("long\n");
        assertThat(Files.readSymbolicLink(app.resolve("lib/current"))).isEqualTo(Path.of("../bin/tool"));
        assertThat(resource.converge(context, true).isNeeded()).isFalse();
        assertThat(requests.get()).isEqualTo(1);

        Files.delete(source.resolve(longName));
        byte[] v2 = run("tar", "--format=pax", "-C", source.toString(), "-czf", "-", "bin", "lib");
        Change upgrade = download(app, serve("/app-2.tar.gz", v2), v2, "extract", "tar.gz").converge(context, true);
        assertThat(upgrade.details()).containsExactly("download " + base + "/app-2.tar.gz and extract it (tar.gz), "
                + "replacing all that " + app + " holds");
        assertThat(upgrade.backups()).as("the old tree's files and marker, backed up as a removal backs them up")
                .extracting(backup -> Path.of(backup.path()).getFileName().toString())
                .containsExactlyInAnyOrder(".plumb-download", "tool", "a".repeat(120) + ".txt");
        assertThat(app.resolve(longName)).as("the directory is the new archive's, whole").doesNotExist();
        assertThat(Files.readAllBytes(app.resolve("bin/tool"))).isEqualTo(TOOL);
        assertThat(entries(dir)).containsExactlyInAnyOrder("app", "backups", "source");
    }

    @Test
    void extractsAZip() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("docs/"));
            zip.putNextEntry(new ZipEntry("docs/README"));
            zip.write("read me\n".getBytes(StandardCharsets.UTF_8));
        }
        Path docs = dir.resolve("docs");

        DownloadResource resource = download(docs, serve("/docs.zip", bytes.toByteArray()), bytes.toByteArray(),
                "extract", "zip", "mode", "0750", "owner", "nobody", "group", "nogroup");
        resource.converge(context, true);

        assertThat(Files.readString(docs.resolve("docs/README"))).isEqualTo("read me\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(docs))).isEqualTo("rwxr-x---");
        for (Path path : List.of(docs, docs.resolve("docs"), docs.resolve("docs/README"))) {
            assertThat(Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName()).as(path.toString()).isEqualTo("nobody");
        }
        assertThat(resource.converge(context, true).isNeeded()).isFalse();
    }

    @Test
    void hostileArchivesAreRefusedWithNothingWritten() throws Exception {
        Map<String, byte[]> hostile = new LinkedHashMap<>();
        hostile.put("holds '../escaped', which climbs out with '..'; plumb extracts only names inside the directory",
                tar(file("../escaped", "x")));
        hostile.put("holds '/tmp/escaped', an absolute path; plumb extracts only relative names",
                tar(file("/tmp/escaped", "x")));
        hostile.put("holds 'out', which is a symlink to '../..', which leaves the directory", tar(link("out", '2', "../..")));
        hostile.put("holds 'etc', which is a symlink to '/etc'; plumb extracts only relative links that stay inside the directory",
                tar(link("etc", '2', "/etc")));
        hostile.put("holds 'up', which is a symlink to 'here/..', which goes through 'here', another link of the archive",
                tar(link("here", '2', "."), link("up", '2', "here/..")));
        hostile.put("holds 'etc/passwd', which lies under 'etc', which the archive makes a symlink, not a directory",
                tar(link("etc", '2', "sub"), file("etc/passwd", "root::0:0::/:/bin/sh\n")));
        hostile.put("holds 'shadow', which is a hard link to '/etc/shadow', which is not a file earlier in the archive",
                tar(link("shadow", '1', "/etc/shadow")));
        hostile.put("holds 'sda', which is a device, FIFO or other special file; plumb extracts files, directories and links only",
                tar(link("sda", '4', "")));
        hostile.put("unpacks to more than max_size (1048576 bytes); raise max_size if that is expected",
                gzip(tar(file("zeros", "\0".repeat(2 << 20)))));
        Path outside = dir.resolve("outside");
        Files.createDirectory(outside);
        for (Map.Entry<String, byte[]> attack : hostile.entrySet()) {
            Path target = dir.resolve("target");
            boolean gzipped = attack.getValue()[0] == (byte) 0x1f;
            String url = serve("/attack.tar", attack.getValue());
            assertThatThrownBy(() -> download(target, url, attack.getValue(), "extract", gzipped ? "tar.gz" : "tar",
                    "max_size", "1M").converge(context, true))
                    .as(attack.getKey())
                    .hasMessage("the archive from " + url + " " + attack.getKey() + "; nothing was extracted and "
                            + target + " was left as it was");
            assertThat(entries(dir)).as(attack.getKey()).containsExactlyInAnyOrder("outside");
            assertThat(entries(outside)).isEmpty();
        }
        assertThat(Path.of("/tmp/escaped")).doesNotExist();
    }

    @Test
    void anArchiveOfTooManyEntriesIsRefused() throws Exception {
        TarEntry[] entries = new TarEntry[Extraction.MAX_ENTRIES + 1];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = file("f" + i, "");
        }
        byte[] archive = gzip(tar(entries));
        Path target = dir.resolve("target");

        assertThatThrownBy(() -> download(target, serve("/many.tar.gz", archive), archive, "extract", "tar.gz")
                .converge(context, true))
                .hasMessageContaining("holds more than 100000 entries; plumb extracts at most that many");
        assertThat(target).doesNotExist();
    }

    @Test
    void extractionIsRefusedUnderADirectoryAUserCouldChange() throws Exception {
        Path shared = dir.resolve("shared");
        Files.createDirectory(shared, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        byte[] archive = tar(file("a", "a"));

        assertThatThrownBy(() -> download(shared.resolve("app"), serve("/a.tar", archive), archive, "extract", "tar")
                .converge(context, true))
                .hasMessageStartingWith("refusing to extract into " + shared + ": " + shared + " is owned by root or "
                        + "writable by others");
        assertThat(requests.get()).isZero();
    }

    @Test
    void attributesAreValidated() {
        Map<String, Object> attributes = Map.of("url", "ftp://example.org/x", "sha256", "ABC", "max_size", "lots",
                "timeout", 0, "extract", "rar");
        DownloadResource resource = instantiate("download", "/opt/x", attributes);
        assertThat(resource.validate()).extracting(Diagnostic::attribute).containsExactly("extract", "url", "sha256",
                "max_size", "timeout");
        assertThat(((DownloadResource) instantiate("download", "/opt/x", Map.of())).validate())
                .extracting(d -> d.attribute() + ": " + d.summary())
                .containsExactly("url: is required", "sha256: is required");
    }

    private static List<String> entries(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static byte[] run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor()).isZero();
        return out;
    }

    /** A tar entry written by hand, as an attacker would: any name, type and link. */
    private record TarEntry(String name, char type, String link, byte[] content) {
    }

    private static TarEntry file(String name, String content) {
        return new TarEntry(name, '0', "", content.getBytes(StandardCharsets.UTF_8));
    }

    private static TarEntry link(String name, char type, String target) {
        return new TarEntry(name, type, target, new byte[0]);
    }

    private static byte[] tar(TarEntry... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TarEntry entry : entries) {
            byte[] header = new byte[512];
            put(header, 0, entry.name());
            put(header, 100, "0000644");
            put(header, 108, "0000000");
            put(header, 116, "0000000");
            put(header, 124, String.format("%011o", entry.content().length));
            put(header, 136, "00000000000");
            put(header, 148, "        ");
            header[156] = (byte) entry.type();
            put(header, 157, entry.link());
            put(header, 257, "ustar");
            put(header, 263, "00");
            int sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, String.format("%06o", sum));
            header[154] = 0;
            out.writeBytes(header);
            out.writeBytes(entry.content());
            out.writeBytes(new byte[(512 - entry.content().length % 512) % 512]);
        }
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }
}
