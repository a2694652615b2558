package dev.plumb.compiler;

import dev.plumb.api.Diagnostic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.plumb.catalog.Catalog;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs a careless or hostile user could give the compiler: each is refused quickly, in bounded memory, with
 * one message at its file, line and column, never a trace, an out-of-memory error or a hang.
 */
class InputBoundsTest {

    private static final Map<String, Object> FACTS = Map.of("hostname", "box", "os", Map.of("id", "debian"));

    @TempDir
    Path dir;

    /** Short, so that the test of the limit need not wait for the real one. */
    private static final Duration RENDER_TIME_LIMIT = Duration.ofSeconds(1);

    private Catalog compile(ProjectFiles project, Map<String, Object> facts) throws CompileException {
        return compile(project, facts, RENDER_TIME_LIMIT);
    }

    private Catalog compile(ProjectFiles project, Map<String, Object> facts, Duration renderTimeLimit) throws CompileException {
        return new Compiler(ProjectLoader.load(project.directory()), renderTimeLimit).compile("local", Map.of(), facts)
                .catalog();
    }

    private List<String> problems(ProjectFiles project) {
        return problems(project, RENDER_TIME_LIMIT);
    }

    /**
     * With plumb's own time limit, for tests of a size limit: building 16 MiB takes more than the short limit on a
     * busy machine, which would then be hit first.
     */
    private List<String> problemsOfSize(ProjectFiles project) {
        return problems(project, Templates.MAX_RENDER_TIME);
    }

    private List<String> problems(ProjectFiles project, Duration renderTimeLimit) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try {
                compile(project, FACTS, renderTimeLimit);
            } catch (CompileException e) {
                return e.problems().stream().map(Diagnostic::toString).toList();
            }
            throw new AssertionError("expected the project not to compile");
        });
    }

    @Test
    void aBillionLaughsIsRefusedQuicklyAtItsAliases() {
        StringBuilder bomb = new StringBuilder("vars:\n  a0: &a0 [x, x]\n");
        for (int i = 1; i < 25; i++) {
            bomb.append("  a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        assertThat(bomb.length()).isLessThan(700);
        assertThat(problems(new ProjectFiles(dir).role(bomb.toString()))).containsExactly("roles/main.yaml:2:3: invalid YAML: "
                + "aliases here expand to more than 1000000 values beyond the file's own; use fewer aliases");
    }

    @Test
    void aRecursiveAliasIsRefused() {
        assertThat(problems(new ProjectFiles(dir).role("vars:\n  a: &a [*a]\n"))).containsExactly("roles/main.yaml:2:6: "
                + "invalid YAML: an alias refers to a list or mapping that contains it, which would never end; copy the values instead");
    }

    @Test
    void nestingIsBoundedBeforeTheStackIs() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThat(problems(new ProjectFiles(dir).role("vars:\n  deep: " + deep + "\n"))).containsExactly("roles/main.yaml:2:107: "
                + "invalid YAML: nested more than 100 levels deep (counting what aliases bring in); flatten the structure");
    }

    @Test
    void aGeneratedRoleOfTwentyThousandFilesCompiles() throws Exception {
        StringBuilder role = new StringBuilder("resources:\n");
        for (int i = 0; i < 20_000; i++) {
            role.append("  - file: /srv/generated/dir-").append(i / 100).append("/file-").append(i).append(".conf\n")
                    .append("    content: \"").append("generated configuration line ".repeat(10)).append(i).append("\\n\"\n")
                    .append("    mode: \"0644\"\n");
        }
        assertThat(role.length()).isGreaterThan(3 << 20);
        ProjectFiles project = new ProjectFiles(dir).role(role.toString());
        assertThat(compile(project, FACTS).resources()).hasSize(20_000);
    }

    @Test
    void aFifoOrADeviceAsASourceIsRefusedWithoutOpeningIt() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n    source: fifo\n"
                + "  - file: /tmp/b\n    template: fifo.j2\n");
        Files.createDirectories(dir.resolve("files"));
        Files.createDirectories(dir.resolve("templates"));
        mkfifo(dir.resolve("files/fifo"));
        mkfifo(dir.resolve("templates/fifo.j2"));
        assertThat(problems(project)).containsExactly(
                "roles/main.yaml:3:13: files/fifo is a FIFO, socket or device, not a regular file; plumb reads only regular files",
                "roles/main.yaml:5:15: templates/fifo.j2 is a FIFO, socket or device, not a regular file; plumb reads only regular files");
    }

    private static void mkfifo(Path path) throws Exception {
        assertThat(new ProcessBuilder("mkfifo", path.toString()).start().waitFor()).isZero();
    }

    @Test
    void aSourceLargerThanTheLimitIsRefusedBeforeItIsRead() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n    source: huge.bin\n");
        Files.createDirectories(dir.resolve("files"));
        try (RandomAccessFile sparse = new RandomAccessFile(dir.resolve("files/huge.bin").toFile(), "rw")) {
            sparse.setLength(InputFiles.MAX_BYTES + 1L);
        }
        assertThat(problems(project)).containsExactly("roles/main.yaml:3:13: files/huge.bin is 67108865 bytes, "
                + "more than the limit of 67108864 bytes (64 MiB)");
    }

    @Test
    void linksInFilesAndTemplatesMayNotLeaveTheProject() throws Exception {
        Path secret = Files.writeString(Files.createTempFile("root-only", ".txt"), "secret\n");
        try {
            ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n    source: s\n"
                    + "  - file: /tmp/b\n    template: t.j2\n  - file: /tmp/c\n    source: inside\n");
            Files.createDirectories(dir.resolve("files"));
            Files.createDirectories(dir.resolve("templates"));
            Files.createSymbolicLink(dir.resolve("files/s"), secret);
            Files.createSymbolicLink(dir.resolve("templates/t.j2"), secret);
            Files.writeString(dir.resolve("plain.txt"), "mine\n");
            Files.createSymbolicLink(dir.resolve("files/inside"), Path.of("../plain.txt"));
            assertThat(problems(project)).containsExactly(
                    "roles/main.yaml:3:13: files/s is a link to " + secret.toRealPath() + ", outside the project; plumb "
                            + "reads only files inside the project: copy the file into files/",
                    "roles/main.yaml:5:15: templates/t.j2 is a link to " + secret.toRealPath() + ", outside the project; "
                            + "plumb reads only files inside the project: copy the file into templates/");
        } finally {
            Files.delete(secret);
        }
    }

    @Test
    void textThatIsNotUtf8IsPlacedAtItsFirstBadByte() {
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n    template: latin.j2\n");
        project.write("templates/latin.j2", "");
        writeBytes(dir.resolve("templates/latin.j2"), "ok\ncaf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(problems(project)).containsExactly("templates/latin.j2:2:4: not UTF-8 text: byte 6 (counting from 0) "
                + "is not valid UTF-8; save the file as UTF-8");
        writeBytes(dir.resolve("roles/main.yaml"), "vars:\n  x: caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(problems(project)).containsExactly("roles/main.yaml:2:9: not UTF-8 text: byte 14 (counting from 0) "
                + "is not valid UTF-8; save the file as UTF-8");
    }

    private static void writeBytes(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aNulCharacterIsPlacedWhereItIsWritten() {
        assertThat(problems(new ProjectFiles(dir).role("vars:\n  x: \"a\u0000b\"\nresources:\n  - file: \"/tmp/a\\0b\"\n"
                + "  - file: /tmp/b\n    source: \"x\\0\"\n"))).containsExactly(
                "roles/main.yaml:2:8: invalid YAML: the character U+0000 is not allowed in YAML; write it as an escape "
                        + "such as \\u0000 in a double-quoted string, or remove it");
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - file: \"/tmp/a\\0b\"\n"
                + "  - file: /tmp/b\n    owner: \"x\\0\"\n"))).containsExactly(
                "roles/main.yaml:2:11: a resource name contains a NUL character (\\0), which no name, path or command can hold; remove it",
                "roles/main.yaml:4:12: owner contains a NUL character (\\0), which no name, path or command can hold; remove it");
    }

    @Test
    void loopsThatNeverEndAreRefusedOrStopped() throws InterruptedException {
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n"
                + "    content: \"{% for i in range(0, 1000000000) %}x{% endfor %}\"\n"))).containsExactly(
                "roles/main.yaml:3:14: range(0, 1000000000) has 1000000000 numbers, more than the limit of 1000000 "
                        + "in '{% for i in range(0, 1000000000) %}x{% endfor %}'");
        long started = System.nanoTime();
        String nested = "{% set l = [1, 2] %}{% for i in range(1, 100000) %}{% for j in range(1, 100000) %}{% for k in l %}"
                + "{% endfor %}{% endfor %}{% endfor %}";
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n    content: \"" + nested + "\"\n")))
                .containsExactly("roles/main.yaml:3:14: rendering took more than 1 second, the limit for one template, and "
                        + "was stopped; look for loops or macros that do far more work than the file needs in '" + nested + "'");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertNoRenderingIsLeftRunning();
        String branching = "{% macro m(n) %}{% if n > 0 %}{{ m(n - 1) }}{{ m(n - 1) }}{% endif %}{% endmacro %}{{ m(60) }}";
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n    content: \"" + branching + "\"\n")))
                .singleElement().asString().startsWith("roles/main.yaml:3:14: rendering took more than 1 second");
        assertNoRenderingIsLeftRunning();
    }

    @Test
    void aRegularExpressionThatBacktracksWithoutEndIsStoppedAndLaterRenderingsStillWork() throws InterruptedException {
        // (.*a){20}$ on forty a's and a b tries every way to split them (Java's matcher cuts short the classic (a+)+$,
        // not this); the matcher alone never notices that its rendering was stopped.
        ProjectFiles project = new ProjectFiles(dir).role("vars:\n  slow: \"{{ ('a' * 40 + 'b') is match('(.*a){20}$') }}\"\n"
                + "  quick: \"{{ 'b' is match('b') }}\"\nresources:\n  - file: /tmp/a\n    content: \"{{ slow }}\"\n"
                + "  - file: /tmp/b\n    content: \"{{ quick }} {{ 'ab'|regex_replace('(a+)+$', 'y') }}\"\n");
        long started = System.nanoTime();
        assertThat(problems(project)).singleElement().asString().startsWith("roles/main.yaml:6:14: ")
                .contains("rendering took more than 1 second, the limit for one template, and was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertNoRenderingIsLeftRunning();
    }

    /**
     * No renderer thread keeps running. Waited for, at most 10 s: a renderer that has just finished a rendering is
     * runnable until it parks again, and on a busy machine a stopped one takes a while to notice it was stopped.
     */
    private static void assertNoRenderingIsLeftRunning() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (renderersRunning() && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(renderersRunning()).as("a renderer thread still runs after 10 s").isFalse();
    }

    private static boolean renderersRunning() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(Templates.RENDERER_THREAD) && t.getState() == Thread.State.RUNNABLE);
    }

    @Test
    void aStringOrListThatKeepsGrowingIsRefusedWhereItGrows() {
        ProjectFiles project = new ProjectFiles(dir).write("templates/double.j2", "{% set ns = namespace(a='x') %}\n"
                        + "{% for i in range(0, 40) %}\n{% set ns.a = ns.a ~ ns.a %}\n{% endfor %}\n{{ ns.a|length }}\n")
                .role("resources:\n  - file: /tmp/a\n    template: double.j2\n  - file: /tmp/b\n"
                        + "    content: \"{% set ns = namespace(l=[0]) %}{% for i in range(0, 40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}\"\n"
                        + "  - file: /tmp/c\n    content: \"{% set ns = namespace(a='xx') %}{% for i in range(0, 40) %}{% set ns.a = ns.a + ns.a %}"
                        + "{% endfor %}\"\n"
                        + "  - file: /tmp/d\n    content: \"{% set ns = namespace(a='x') %}{% for i in range(0, 23) %}{% set ns.a = ns.a ~ ns.a %}"
                        + "{% endfor %}{{ [ns.a, ns.a, ns.a]|join }}\"\n");
        assertThat(problems(project)).containsExactly(
                "templates/double.j2:3:20: '~' would make a string of 33554432 characters, more than the limit of 16777216 "
                        + "(16 MiB) for one value; look for a loop that keeps growing a string (rendering for the file "
                        + "resource at roles/main.yaml:3:15)",
                "roles/main.yaml:5:14: '+' would make a list of 1048576 elements, more than the limit of 1000000 for one "
                        + "value; look for a loop that keeps growing a list in '{% set ns = namespace(l=[0]) %}{% for i in range(0, 40) %}"
                        + "{% set ns.l = ns.l + ns.l %}{% endfor %}'",
                "roles/main.yaml:7:14: '+' would make a string of 33554432 characters, more than the limit of 16777216 "
                        + "(16 MiB) for one value; look for a loop that keeps growing a string in '{% set ns = namespace(a='xx') %}"
                        + "{% for i in range(0, 40) %}{% set ns.a = ns.a + ns.a %}{% endfor %}'",
                "roles/main.yaml:9:14: the filter join would make a string of 25165824 characters, more than the limit of "
                        + "16777216 (16 MiB) for one value; look for a loop that keeps growing a string in '{% set ns = namespace(a='x') %}"
                        + "{% for i in range(0, 23) %}{% set ns.a = ns.a ~ ns.a %}{% endfor %}{{ [ns.a, ns.a, ns.a]|join }}'");
    }

    @Test
    void addingToAListVariableMakesANewListAndLeavesTheVariable() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).role("vars:\n  ports: [80]\nresources:\n  - file: /tmp/a\n"
                + "    content: \"{% set more = ports + [8080] %}{{ more|join(',') }} {{ ports|join(',') }}\"\n");
        assertThat(compile(project, FACTS).resources()).singleElement()
                .satisfies(r -> assertThat(r.attributes()).containsEntry("content", "80,8080 80"));
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n    content: \"{{ facts + 1 }}\"\n")))
                .containsExactly("roles/main.yaml:3:14: '+' adds numbers, text or lists; got a mapping and a whole number in '{{ facts + 1 }}'");
    }

    @Test
    void aNumberTooLargeForATemplateIsNamedAtItsLine() {
        ProjectFiles project = new ProjectFiles(dir).write("templates/n.j2", "port {{ 8080 }}\nsize {{ 99999999999999999999 }}\n")
                .role("resources:\n  - file: /tmp/a\n    template: n.j2\n");
        assertThat(problems(project)).containsExactly("templates/n.j2:2:9: the number 99999999999999999999 is too large; whole "
                + "numbers go up to 9223372036854775807, and a longer one can be written as a string: "
                + "'99999999999999999999' (rendering for the file resource at roles/main.yaml:3:15)");
    }

    @Test
    void templatesCannotReachJavaThroughTheirValues() {
        assertThat(problems(new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n"
                + "    content: \"{{ facts.getClass().forName('java.lang.Runtime') }}\"\n"))).containsExactly(
                "roles/main.yaml:3:14: a mapping has no method 'getClass'; its methods: get, items, keys, values; templates "
                        + "reach only these and the filters in '{{ facts.getClass().forName('java.lang.Runtime') }}'");
    }

    @Test
    void outputIsBounded() {
        assertThat(problemsOfSize(new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n"
                + "    content: \"{% for i in range(1, 1000000) %}0123456789012345678901234567890{% endfor %}\"\n")))
                .singleElement().asString().contains("the text would make a string of 16777231 characters, more than the limit of 16777216");
    }

    @Test
    void aTemplateIncludingItselfAndARecursiveMacroAreStopped() {
        ProjectFiles project = new ProjectFiles(dir).write("templates/self.j2", "{% include 'self.j2' %}\n")
                .role("resources:\n  - file: /tmp/a\n    template: self.j2\n"
                        + "  - file: /tmp/b\n    content: \"{% macro m(x) %}{{ m(x) }}{% endmacro %}{{ m(1) }}\"\n");
        assertThat(problems(project)).containsExactly(
                "templates/self.j2: the template exceeds plumb's limits: recursion too deep; a template includes "
                        + "itself, or a macro calls itself without end (rendering for the file resource at roles/main.yaml:3:15)",
                "roles/main.yaml:5:14: the template exceeds plumb's limits: recursion too deep; a template includes "
                        + "itself, or a macro calls itself without end in '{% macro m(x) %}{{ m(x) }}{% endmacro %}{{ m(1) }}'");
    }

    @Test
    void templatesCannotChangeTheFactsTheProvidersUse() {
        Map<String, Object> facts = new HashMap<>(Map.of("init_system", "sysv", "os", new HashMap<>(Map.of("id", "debian"))));
        ProjectFiles project = new ProjectFiles(dir).role("resources:\n  - file: /tmp/a\n"
                + "    content: \"{{ facts.put('init_system', 'systemd') }}{{ facts.os.put('id', 'x') }}\"\n");
        List<String> problems = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try {
                compile(project, facts);
                return List.<String>of();
            } catch (CompileException e) {
                return e.problems().stream().map(Diagnostic::toString).toList();
            }
        });
        assertThat(problems).singleElement().asString().startsWith("roles/main.yaml:3:14: a mapping has no method 'put'");
        assertThat(facts).containsEntry("init_system", "sysv").containsEntry("os", Map.of("id", "debian"));
    }
}
