package dev.plumb.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates that would exhaust memory, run by plumb in a JVM of its own with a small heap, as a user would run
 * {@code plumb validate}: one located message and exit 1, quickly, never "a bug in plumb".
 */
class TemplateMemoryTest {

    @TempDir
    Path dir;

    private record Run(int exit, String err, Duration took) {
    }

    private Run validate(ProjectFiles project) throws Exception {
        long started = System.nanoTime();
        Process plumb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.plumb.cli.Main", "validate", "-p",
                project.directory().toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(plumb.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!plumb.waitFor(60, TimeUnit.SECONDS)) {
            plumb.destroyForcibly();
            throw new AssertionError("plumb validate did not end within 60 seconds; it printed " + err);
        }
        return new Run(plumb.exitValue(), err, Duration.ofNanos(System.nanoTime() - started));
    }

    @Test
    void aStringDoubledFortyTimesIsOneMessageAtItsLine() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).write("templates/double.j2",
                        "{% set ns = namespace(a='x') %}{% for i in range(0,40) %}{% set ns.a = ns.a ~ ns.a %}{% endfor %}{{ ns.a|length }}")
                .role("resources:\n  - file: /tmp/a\n    template: double.j2\n");
        Run run = validate(project);
        assertThat(run.err()).doesNotContain("bug in plumb").contains("templates/double.j2:1:77: '~' would make a string "
                + "of 33554432 characters, more than the limit of 16777216 (16 MiB) for one value");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.took()).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void valuesThatTogetherExhaustMemoryAreOneMessageAboutPlumbsLimits() throws Exception {
        ProjectFiles project = new ProjectFiles(dir).write("templates/many.j2", String.join("\n", List.of(
                        "{% set ns = namespace(big='x', all=[]) %}{% for i in range(0, 22) %}{% set ns.big = ns.big ~ ns.big %}{% endfor %}",
                        "{% for i in range(0, 1000) %}{% set ns.all = ns.all + [ns.big ~ i] %}{% endfor %}",
                        "{{ ns.all|length }}")))
                .role("resources:\n  - file: /tmp/a\n    template: many.j2\n");
        Run run = validate(project);
        assertThat(run.err()).doesNotContain("bug in plumb").contains("templates/many.j2: the template exceeds plumb's "
                + "limits: its values need more memory than plumb has");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.took()).isLessThan(Duration.ofSeconds(8));
    }
}
