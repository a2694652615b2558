package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The shipped examples, damaged the ways an editor, a merge or a careless hand damages files (lines deleted,
 * duplicated, swapped or re-indented, YAML and Jinja punctuation or random bytes inserted), must still get an
 * answer a user can act on: exit 0, 1 or 2; on 1 every problem at its file and line; never a Java trace; and
 * soon. Only {@code validate} and {@code catalog} run: a plan of a mutated project could run its guard commands.
 * Each mutant comes from its own seed, named in the test's name, so a failure is reproduced by that seed alone.
 */
class MutatedExamplesTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final List<String> PROJECT_FILES = List.of(
            "quickstart/plumb.yaml", "quickstart/inventory.yaml", "quickstart/roles/base.yaml", "quickstart/roles/web.yaml",
            "quickstart/templates/app.conf.j2", "quickstart/templates/index.html.j2",
            "service/plumb.yaml", "service/inventory.yaml", "service/roles/demo.yaml", "service/templates/demo.conf.j2");
    private static final List<String> PUNCTUATION = List.of(":", ": ", "- ", "-", "{{", "}}", "{%", "%}", "{#", "&a ",
            "*a", "[", "]", "{", "}", "|", "'", "\"", "#", "\t", "\0", "\\", "!!", "? ", ",", ">", "%", "~", "\r",
            "{{ item }}", "{% for x in y %}", "{% endfor %}", "when: ", "for_each: ", "---\n", "...", "<<: ", "*");
    /** "roles/web.yaml:12:5: ..." or "templates/app.conf.j2:3: ...": a problem at its place. */
    private static final Pattern LOCATED = Pattern.compile("^[\\w./-]+:\\d+(:\\d+)?: .+");
    private static final Pattern SUMMARY = Pattern.compile("^\\d+ problems? found; nothing was changed\\.$");
    private static final Pattern JAVA_TRACE = Pattern.compile("\\bat [a-z]+\\.[\\w.$]+\\(|\\b[A-Z]\\w*(Exception|Error)\\b"
            + "|this is a bug in plumb");

    /** One way to damage a file: applied to its lines, with numbers that pick where. */
    record Mutation(int kind, int where, int other, String text) {

        List<String> applyTo(List<String> lines) {
            List<String> result = new ArrayList<>(lines);
            if (result.isEmpty()) {
                result.add("");
            }
            int at = Math.floorMod(where, result.size());
            int to = Math.floorMod(other, result.size());
            String line = result.get(at);
            switch (kind) {
                case 0 -> result.remove(at);
                case 1 -> result.add(at, line);
                case 2 -> {
                    result.set(at, result.get(to));
                    result.set(to, line);
                }
                case 3 -> result.set(at, line.isEmpty() ? line : line.substring(0, Math.floorMod(other, line.length() + 1))
                        + text + line.substring(Math.floorMod(other, line.length() + 1)));
                case 4 -> result.set(at, "  ".repeat(Math.floorMod(other, 3)) + line.stripLeading());
                default -> result.set(at, " " + line);
            }
            return result;
        }
    }

    private static final int MUTANTS = 200;

    @TestFactory
    Stream<DynamicTest> aDamagedExampleGetsAnAnswerAUserCanActOn() {
        return IntStream.range(0, MUTANTS).mapToObj(seed -> DynamicTest.dynamicTest("mutant seed " + seed, () -> {
            Random random = new Random(seed);
            String file = PROJECT_FILES.get(random.nextInt(PROJECT_FILES.size()));
            List<Mutation> mutations = new ArrayList<>();
            for (int i = random.nextInt(3); i >= 0; i--) {
                mutations.add(new Mutation(random.nextInt(6), random.nextInt(201), random.nextInt(201), inserted(random)));
            }
            checkMutant(file, mutations);
        }));
    }

    /** Text to insert: YAML or Jinja punctuation, a few random characters, or a few random bytes. */
    private static String inserted(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> PUNCTUATION.get(random.nextInt(PUNCTUATION.size()));
            case 1 -> random.ints(1 + random.nextInt(4), 0, 0x3000)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            default -> {
                byte[] bytes = new byte[1 + random.nextInt(3)];
                random.nextBytes(bytes);
                yield new String(bytes, StandardCharsets.ISO_8859_1);
            }
        };
    }

    private static void checkMutant(String file, List<Mutation> mutations) throws IOException {
        Path copy = Files.createTempDirectory("plumb-mutant");
        try {
            String example = file.substring(0, file.indexOf('/'));
            copyTree(EXAMPLES.resolve(example), copy);
            Path damaged = copy.resolve(file.substring(example.length() + 1));
            // Lines are split and joined on \n only, so inserted bytes stay exactly as generated.
            List<String> lines = List.of(new String(Files.readAllBytes(damaged), StandardCharsets.ISO_8859_1).split("\n", -1));
            for (Mutation mutation : mutations) {
                lines = mutation.applyTo(lines);
            }
            Files.write(damaged, String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1));

            for (List<String> command : List.of(List.of("validate", "-p", copy.toString()),
                    List.of("catalog", "local", "-p", copy.toString()))) {
                // Well above the template render limit (10 s), so that a loaded machine does not fail a run that stays bounded.
                InProcess run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> InProcess.plumb(command));
                String context = command.get(0) + " of " + file + " after " + mutations + ":\n" + run.all();
                assertThat(run.exit()).as(context).isIn(0, 1, 2);
                assertThat(JAVA_TRACE.matcher(run.all()).find()).as(context).isFalse();
                if (run.exit() == 1) {
                    for (String line : run.err().split("\n")) {
                        assertThat(LOCATED.matcher(line).matches() || SUMMARY.matcher(line).matches()
                                || line.startsWith("inventory.yaml: no host named 'local'")).as(context + "\nline: " + line).isTrue();
                    }
                }
            }
        } finally {
            deleteTree(copy);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
