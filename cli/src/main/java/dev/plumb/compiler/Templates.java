package dev.plumb.compiler;

import dev.plumb.api.Suggestions;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.error.ClassAccessException;
import io.pebbletemplates.pebble.error.LoaderException;
import io.pebbletemplates.pebble.error.ParserException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja-style rendering with Pebble, set up as Ansible users expect: no HTML escaping, the newline after a
 * block tag removed, and an undefined variable an error rather than an empty string.
 */
final class Templates {

    private static final Pattern SIMPLE_VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][\\w.]*)\\s*}}");

    /** The longest a template may take to render; a loop that never ends is stopped here. */
    static final Duration MAX_RENDER_TIME = Duration.ofSeconds(10);
    /** How long a stopped rendering may take to notice it was stopped, before plumb goes on without it. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /** The name of the thread that renders templates. */
    static final String RENDERER_THREAD = "plumb-template";

    private final Path projectDirectory;
    private final Duration renderTimeLimit;
    private final PebbleEngine engine;
    /** Renders one template at a time, so that one that runs too long can be stopped, not waited for. */
    private ThreadPoolExecutor renderer;

    /** Templates of the project, each rendered within {@code renderTimeLimit}, normally {@link #MAX_RENDER_TIME}. */
    Templates(Path projectDirectory, Duration renderTimeLimit) {
        this.projectDirectory = projectDirectory;
        this.renderTimeLimit = renderTimeLimit;
        FileLoader loader = new FileLoader(projectDirectory.resolve("templates") + "/") {
            @Override
            public Reader getReader(String name) {
                return new StringReader(trimBlocks(source(name)));
            }
        };
        this.engine = new PebbleEngine.Builder()
                .loader(loader)
                .autoEscaping(false)
                .strictVariables(true)
                .newLineTrimming(false)
                .maxRenderedSize(TemplateLimits.MAX_CHARS)
                .registerExtensionCustomizer(TemplateLimits::new)
                .build();
    }

    /** The text of {@code templates/NAME}, read only from inside the project. */
    private String source(String name) {
        try {
            return InputFiles.utf8(InputFiles.readInside(projectDirectory, "templates", name));
        } catch (InputFiles.Unreadable e) {
            throw new LoaderException(null, "templates/" + name + " " + e.getMessage());
        } catch (InputFiles.NotUtf8 e) {
            throw new LoaderException(null, "templates/" + name + ":" + e.line + ":" + e.column + ": " + e.getMessage());
        }
    }

    /**
     * Jinja's {@code trim_blocks}, which Ansible turns on: the newline right after a block tag such as
     * {@code {% endfor %}} is dropped, while the one after {@code {{ value }}} stays. Pebble's own trimming
     * also eats the latter, so the newline is folded into a comment instead, which keeps line numbers true.
     */
    static String trimBlocks(String template) {
        return template.replace("%}\r\n", "%}{#\r\n#}").replace("%}\n", "%}{#\n#}");
    }

    static boolean isTemplated(String text) {
        return text.contains("{{") || text.contains("{%");
    }

    /**
     * Renders a string from a project file; strings without template syntax come back as they are. Strings
     * that only substitute variables, like {@code "{{ root }}/etc/app.conf"}, the bulk of any project, are
     * filled in directly: parsing thousands of one-off templates would dominate compile time.
     */
    String renderString(String text, Map<String, Object> scope) {
        if (!isTemplated(text)) {
            return text;
        }
        String substituted = substituteVariables(text, scope);
        return substituted != null ? substituted
                : evaluate(parse(() -> engine.getLiteralTemplate(trimBlocks(text)), () -> text, null), scope);
    }

    /**
     * The text with each {@code {{ name.path }}} replaced, or null when it needs the full template engine, which
     * also reports a text that grows past what a template may write.
     */
    private static String substituteVariables(String text, Map<String, Object> scope) {
        if (text.contains("{%") || text.contains("{#")) {
            return null;
        }
        Matcher matcher = SIMPLE_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 32);
        int end = 0;
        while (matcher.find()) {
            Object value = Scope.lookup(scope, matcher.group(1));
            if (value == null || value instanceof Double || text.indexOf("{{", end) < matcher.start()) {
                return null;
            }
            out.append(text, end, matcher.start()).append(value);
            end = matcher.end();
            if (out.length() > TemplateLimits.MAX_CHARS) {
                return null;
            }
        }
        if (text.indexOf("{{", end) >= 0) {
            return null;
        }
        return out.append(text, end, text.length()).toString();
    }

    /** Renders {@code templates/NAME}. */
    String renderFile(String name, Map<String, Object> scope) {
        return evaluate(parse(() -> engine.getTemplate(name), () -> source(name), name), scope);
    }

    /**
     * Parses a template. Pebble lets Java's {@link NumberFormatException} through for a whole number too large
     * for a long; the number is found in {@code source} and named, at its line.
     */
    private static PebbleTemplate parse(Supplier<PebbleTemplate> parser, Supplier<String> source, String name) {
        try {
            return parser.get();
        } catch (NumberFormatException e) {
            TemplateNames.Literal number = TemplateNames.tooLargeNumber(source.get()).orElseThrow(() -> e);
            throw new PebbleException(e, "the number " + number.text() + " is too large; whole numbers go up to "
                    + Long.MAX_VALUE + ", and a longer one can be written as a string: '" + number.text() + "'",
                    number.line(), name);
        }
    }

    /** Whether an expression such as {@code facts.os.id == 'debian'} holds, by Jinja's truth rules. */
    boolean test(String expression, Map<String, Object> scope) {
        String bare = expression.strip();
        if (bare.startsWith("{{") && bare.endsWith("}}")) {
            bare = bare.substring(2, bare.length() - 2);
        }
        String test = "{% if " + bare + " %}true{% endif %}";
        PebbleTemplate template = parse(() -> engine.getLiteralTemplate(test), () -> test, null);
        List<TemplateNames.Undefined> undefined = TemplateNames.undefinedNames(bare, scope);
        if (!undefined.isEmpty()) {
            // In a test Pebble reads a missing key as null and fails later with "Wrong operand(s) type".
            throw new PebbleException(null, undefined.get(0).message());
        }
        return evaluate(template, scope).equals("true");
    }

    /**
     * Renders on the renderer thread and waits at most the render time limit. A template that runs longer is
     * stopped: its thread is interrupted, which {@link TemplateLimits} notices at the next write, loop step or
     * growing operation, and a new thread renders the next template.
     */
    private String evaluate(PebbleTemplate template, Map<String, Object> scope) {
        Future<String> rendering = renderer().submit(() -> {
            StringWriter out = new StringWriter();
            template.evaluate(new InterruptibleWriter(out), scope);
            return out.toString();
        });
        try {
            return rendering.get(renderTimeLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stopRenderer();
            throw limit("rendering took more than " + seconds(renderTimeLimit) + ", the limit for one template, "
                    + "and was stopped; look for loops or macros that do far more work than the file needs");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRenderer();
            throw limit("interrupted while rendering");
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 != 0 ? duration.toMillis() + " ms"
                : duration.toSeconds() + (duration.toSeconds() == 1 ? " second" : " seconds");
    }

    /** Interrupts the rendering thread and waits, briefly, until it has ended, so that it uses nothing more. */
    private void stopRenderer() {
        renderer.shutdownNow();
        try {
            renderer.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        renderer = null;
    }

    private ThreadPoolExecutor renderer() {
        if (renderer == null) {
            renderer = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, RENDERER_THREAD);
                thread.setDaemon(true);
                return thread;
            });
            renderer.allowCoreThreadTimeOut(true);
        }
        return renderer;
    }

    /**
     * What went wrong while rendering, as a Pebble error the compiler reports at the template's use. Running out
     * of stack or memory is the template's doing, not plumb's: a recursion without end, or values built larger
     * than plumb can hold, beyond what {@link TemplateLimits} refuses one by one.
     */
    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof PebbleException pebble) {
            return readOnly(pebble) ? limit("templates cannot change facts or variables; compute a new value "
                    + "instead, as {% set ports = ports + [8080] %}") : pebble;
        }
        if (cause instanceof StackOverflowError) {
            return limit("the template exceeds plumb's limits: recursion too deep; a template includes itself, or "
                    + "a macro calls itself without end");
        }
        if (cause instanceof OutOfMemoryError) {
            return limit("the template exceeds plumb's limits: its values need more memory than plumb has; build "
                    + "fewer or smaller strings and lists (each may hold at most " + TemplateLimits.MAX_CHARS
                    + " characters or " + TemplateLimits.MAX_ELEMENTS + " elements)");
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        throw new IllegalStateException("this is a bug in plumb: rendering failed", cause);
    }

    /** Whether the template failed because it tried to change a value plumb gave it read-only. */
    private static boolean readOnly(PebbleException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnsupportedOperationException) {
                return true;
            }
        }
        return false;
    }

    private static PebbleException limit(String message) {
        return new PebbleException(null, message);
    }

    /** A writer that stops a template whose time is up, at its next write. */
    private static final class InterruptibleWriter extends FilterWriter {
        InterruptibleWriter(Writer out) {
            super(out);
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            TemplateLimits.stopIfInterrupted();
            super.write(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) throws IOException {
            TemplateLimits.stopIfInterrupted();
            super.write(text, offset, length);
        }

        @Override
        public void write(int c) throws IOException {
            TemplateLimits.stopIfInterrupted();
            super.write(c);
        }
    }

    // Pebble says which filter, function or token it did not expect only in its message's text; the wording these
    // patterns read is pinned by PebbleMessagesTest, so that a Pebble that words them differently fails a test.
    private static final Pattern UNKNOWN_FILTER = Pattern.compile("Filter \\[(\\w+)] does not exist.*");
    private static final Pattern UNKNOWN_FUNCTION = Pattern.compile("Function or Macro \\[(\\w+)] does not exist.*");
    private static final Pattern UNEXPECTED = Pattern.compile("Unexpected token of value \"(.*)\" and type \\w+, "
            + "expected token of type (\\w+).*", Pattern.DOTALL);

    /**
     * A Pebble error in plumb's words, with the name probably meant: "undefined variable 'facts.os.idd'; did you
     * mean 'facts.os.id'?" rather than Pebble's internals. {@code source} is the template text, when known.
     */
    static String describe(PebbleException e, String source, Map<String, Object> scope) {
        if (e instanceof AttributeNotFoundException missing) {
            String name = missing.getAttributeName();
            List<TemplateNames.Undefined> undefined = source == null ? List.of()
                    : TemplateNames.undefinedNames(TemplateNames.code(source), scope);
            return undefined.stream().filter(u -> u.name().equals(name) || u.name().endsWith("." + name))
                    .map(TemplateNames.Undefined::message).findFirst()
                    .orElse("undefined variable '" + name + "'" + TemplateNames.didYouMeanVariable(name, scope)
                            + TemplateNames.loopHint(name));
        }
        if (e instanceof ClassAccessException) {
            return "templates may not call methods that reach outside their values, such as getClass; use the "
                    + "values and filters themselves";
        }
        String message = pebbleMessage(e);
        Matcher filter = UNKNOWN_FILTER.matcher(message);
        if (filter.matches()) {
            return "unknown filter '" + filter.group(1) + "'" + Suggestions.didYouMean(filter.group(1), TemplateNames.FILTERS)
                    + "; filters: " + String.join(", ", TemplateNames.FILTERS);
        }
        Matcher function = UNKNOWN_FUNCTION.matcher(message);
        if (function.matches()) {
            return "unknown function '" + function.group(1) + "'" + Suggestions.didYouMean(function.group(1),
                    TemplateNames.FUNCTIONS) + "; functions: " + String.join(", ", TemplateNames.FUNCTIONS);
        }
        Matcher unexpected = UNEXPECTED.matcher(message);
        if (e instanceof ParserException && unexpected.matches()) {
            return "unexpected '" + unexpected.group(1) + "'" + (unexpected.group(1).equals("=") ? " (to compare, write ==)" : "")
                    + (unexpected.group(2).equals("EXECUTE_END") ? "; expected the end of the expression" : "");
        }
        return message;
    }

    /** Whether the text is not an expression at all (a token where none fits), rather than one that fails. */
    static boolean isSyntaxError(PebbleException e) {
        return !(e instanceof AttributeNotFoundException) && UNEXPECTED.matcher(pebbleMessage(e)).matches();
    }

    private static String pebbleMessage(PebbleException e) {
        return e.getPebbleMessage() == null ? e.toString() : e.getPebbleMessage().replaceAll("\\s*\\(\\?:\\?\\)$", "");
    }
}
