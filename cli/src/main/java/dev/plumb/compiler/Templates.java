package dev.plumb.compiler;

import dev.plumb.api.Suggestions;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.error.LoaderException;
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

    /** The most a template may write: far above any configuration file, far below the memory plumb has. */
    static final int MAX_OUTPUT_CHARS = 16 << 20;
    /** The longest a template may take to render; a loop that never ends is stopped here. */
    static final Duration MAX_RENDER_TIME = Duration.ofSeconds(10);

    private final PebbleEngine engine;
    /** Renders one template at a time, so that one that runs too long can be abandoned, not waited for. */
    private ThreadPoolExecutor renderer;

    Templates(Path projectDirectory) {
        FileLoader loader = new FileLoader(projectDirectory.resolve("templates") + "/") {
            @Override
            public Reader getReader(String name) {
                try {
                    return new StringReader(trimBlocks(InputFiles.utf8(InputFiles.readInside(projectDirectory, "templates", name))));
                } catch (InputFiles.Unreadable e) {
                    throw new LoaderException(null, "templates/" + name + " " + e.getMessage());
                } catch (InputFiles.NotUtf8 e) {
                    throw new LoaderException(null, "templates/" + name + ":" + e.line + ":" + e.column + ": " + e.getMessage());
                }
            }
        };
        this.engine = new PebbleEngine.Builder()
                .loader(loader)
                .autoEscaping(false)
                .strictVariables(true)
                .newLineTrimming(false)
                .maxRenderedSize(MAX_OUTPUT_CHARS)
                .extension(new BoundedRange.Extension())
                .build();
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
        return substituted != null ? substituted : evaluate(parse(() -> engine.getLiteralTemplate(trimBlocks(text))), scope);
    }

    /** The text with each {@code {{ name.path }}} replaced, or null when it needs the full template engine. */
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
        }
        if (text.indexOf("{{", end) >= 0) {
            return null;
        }
        return out.append(text, end, text.length()).toString();
    }

    /** Renders {@code templates/NAME}. */
    String renderFile(String name, Map<String, Object> scope) {
        return evaluate(parse(() -> engine.getTemplate(name)), scope);
    }

    /**
     * Parses a template, turning the exceptions Pebble lets through for bad input into its own: a number
     * literal too large for a long fails with Java's "For input string".
     */
    private static PebbleTemplate parse(Supplier<PebbleTemplate> parser) {
        try {
            return parser.get();
        } catch (NumberFormatException e) {
            throw tooLargeNumber(e);
        }
    }

    private static PebbleException tooLargeNumber(NumberFormatException e) {
        return new PebbleException(e, "a number is too large: " + String.valueOf(e.getMessage())
                .replace("For input string: ", "") + "; whole numbers go up to " + Long.MAX_VALUE);
    }

    /** Whether an expression such as {@code facts.os.id == 'debian'} holds, by Jinja's truth rules. */
    boolean test(String expression, Map<String, Object> scope) {
        String bare = expression.strip();
        if (bare.startsWith("{{") && bare.endsWith("}}")) {
            bare = bare.substring(2, bare.length() - 2);
        }
        String test = "{% if " + bare + " %}true{% endif %}";
        PebbleTemplate template = parse(() -> engine.getLiteralTemplate(test));
        List<TemplateNames.Undefined> undefined = TemplateNames.undefinedNames(bare, scope);
        if (!undefined.isEmpty()) {
            // In a test Pebble reads a missing key as null and fails later with "Wrong operand(s) type".
            throw new PebbleException(null, undefined.get(0).message());
        }
        return evaluate(template, scope).equals("true");
    }

    /**
     * Renders on the renderer thread and waits at most {@link #MAX_RENDER_TIME}. A template that runs too long
     * is interrupted, which stops it at its next write or range step, and its thread is left behind.
     */
    private String evaluate(PebbleTemplate template, Map<String, Object> scope) {
        Future<String> rendering = renderer().submit(() -> {
            StringWriter out = new StringWriter();
            template.evaluate(new InterruptibleWriter(out), scope);
            return out.toString();
        });
        try {
            return rendering.get(MAX_RENDER_TIME.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            rendering.cancel(true);
            renderer.shutdownNow();
            renderer = null;
            throw limit("took more than " + MAX_RENDER_TIME.toSeconds() + " seconds to render; look for a loop "
                    + "over a range that is far too long");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw limit("interrupted while rendering");
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    private ThreadPoolExecutor renderer() {
        if (renderer == null) {
            renderer = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "plumb-template");
                thread.setDaemon(true);
                return thread;
            });
            renderer.allowCoreThreadTimeOut(true);
        }
        return renderer;
    }

    /** What went wrong while rendering, as a Pebble error the compiler reports at the template's use. */
    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof PebbleException pebble) {
            return readOnly(pebble) ? limit("templates cannot change facts or variables; compute a new value "
                    + "instead, as {% set ports = ports + [8080] %}") : pebble;
        }
        if (cause instanceof NumberFormatException number) {
            return tooLargeNumber(number);
        }
        if (cause instanceof StackOverflowError) {
            return limit("recursion too deep: a template that includes itself, or a macro that calls itself "
                    + "without end");
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

    /** A writer that stops a template whose rendering was abandoned, at its next write. */
    private static final class InterruptibleWriter extends FilterWriter {
        InterruptibleWriter(Writer out) {
            super(out);
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            stopIfInterrupted();
            super.write(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) throws IOException {
            stopIfInterrupted();
            super.write(text, offset, length);
        }

        @Override
        public void write(int c) throws IOException {
            stopIfInterrupted();
            super.write(c);
        }
    }

    /** Ends a rendering that was abandoned; called at every write and every step of a range. */
    static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw limit("rendering abandoned");
        }
    }

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
        if (unexpected.matches()) {
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
