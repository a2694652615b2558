package dev.plumb.compiler;

import dev.plumb.api.Suggestions;
import dev.plumb.compiler.jinja.Environment;
import dev.plumb.compiler.jinja.Filters;
import dev.plumb.compiler.jinja.Limits;
import dev.plumb.compiler.jinja.Template;
import dev.plumb.compiler.jinja.TemplateError;
import dev.plumb.compiler.jinja.Tests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2 rendering as Ansible's template module does it (see {@link Template}), with plumb's engine in
 * {@code dev.plumb.compiler.jinja}, each rendering bounded in time, size and depth, and an undefined variable an
 * error rather than an empty string.
 */
final class Templates {

    private static final Pattern WHOLE_EXPRESSION = Pattern.compile("\\{\\{(.*)}}", Pattern.DOTALL);
    private static final Pattern SIMPLE_VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][\\w.]*)\\s*}}");

    /** The longest a template may take to render; a loop that never ends is stopped here. */
    static final Duration MAX_RENDER_TIME = Duration.ofSeconds(10);
    /** How long a stopped rendering may take to notice it was stopped, before plumb goes on without it. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /** The name of the thread that renders templates. */
    static final String RENDERER_THREAD = "plumb-template";

    private final Path projectDirectory;
    private final Duration renderTimeLimit;
    private final Environment environment;
    /**
     * Parsed templates of templates/, by name: a template used by many resources or hosts is parsed once. Concurrent:
     * a rendering that ran out of time may still parse one while the next renders.
     */
    private final Map<String, Template> files = new ConcurrentHashMap<>();
    /** Renders one template at a time, so that one that runs too long can be stopped, not waited for. */
    private ThreadPoolExecutor renderer;
    /** The renderer's thread, the one a stopped rendering runs on. */
    private volatile Thread rendererThread;
    /** The threads of renderings stopped for running out of time: whatever they still do must change nothing. */
    private final Set<Thread> abandoned = ConcurrentHashMap.newKeySet();

    /** Templates of the project, each rendered within {@code renderTimeLimit}, normally {@link #MAX_RENDER_TIME}. */
    Templates(Path projectDirectory, Duration renderTimeLimit) {
        this.projectDirectory = projectDirectory;
        this.renderTimeLimit = renderTimeLimit;
        this.environment = new Environment(this::file);
    }

    /** The parsed {@code templates/NAME}, read only from inside the project. */
    private Template file(String name) {
        Template template = files.get(name);
        if (template == null) {
            template = Template.parse(source(name), "templates/" + name);
            files.putIfAbsent(name, template);
        }
        return template;
    }

    private String source(String name) {
        try {
            return InputFiles.utf8(InputFiles.readInside(projectDirectory, "templates", name));
        } catch (InputFiles.Unreadable e) {
            throw new TemplateError(TemplateError.Kind.SYNTAX, "templates/" + name + " " + e.getMessage(), null, 0, 0,
                    java.util.List.of());
        } catch (InputFiles.NotUtf8 e) {
            throw new TemplateError(TemplateError.Kind.SYNTAX, e.getMessage(), "templates/" + name, e.line, e.column,
                    java.util.List.of());
        }
    }

    /**
     * Whether a string from a project file is a template. One with only {@code {#}, as the shell's
     * {@code ${#list[@]}} in a command, is not: it is taken as written.
     */
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
        return substituted != null ? substituted : evaluate(() -> Template.parse(text, null).render(environment, scope));
    }

    /**
     * The text with each {@code {{ name.path }}} replaced by a text or whole number, or null when it needs the
     * full template engine.
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
            if (!(value instanceof String || value instanceof Long) || text.indexOf("{{", end) < matcher.start()) {
                return null;
            }
            out.append(text, end, matcher.start()).append(value);
            end = matcher.end();
            if (out.length() > Limits.MAX_CHARS) {
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
        return evaluate(() -> file(name).render(environment, scope));
    }

    /** Whether an expression such as {@code facts.os.id == 'debian'} holds, by Jinja's truth rules. */
    boolean test(String expression, Map<String, Object> scope) {
        String bare = expression.strip();
        if (bare.startsWith("{{") && bare.endsWith("}}")) {
            bare = bare.substring(2, bare.length() - 2);
        }
        String condition = bare;
        // Parsed on the renderer too: whatever parsing a user's text costs is bounded as a rendering is.
        return evaluate(() -> Template.expression(condition).test(environment, scope));
    }

    /**
     * A variable's value written with template syntax, computed: a text that is one expression, as
     * {@code "{{ facts.cpus }}"} or {@code "{{ servers + ['x'] }}"}, keeps the expression's type (a number, a list),
     * as Ansible gives it; any other text is rendered to text.
     */
    Object compute(String text, Map<String, Object> scope) {
        refuseAbandonedRendering();
        Matcher whole = WHOLE_EXPRESSION.matcher(text);
        Callable<Object> computation = whole.matches() && !whole.group(1).contains("}}") && !whole.group(1).contains("{{")
                ? () -> Template.expression(whole.group(1)).value(environment, scope)
                : () -> Template.parse(text, null).render(environment, scope);
        // A variable used by a template is computed on the thread that renders it, within that template's time.
        if (Thread.currentThread() == rendererThread) {
            try {
                return computation.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("this is a bug in plumb: computing a variable failed", e);
            }
        }
        return evaluate(computation);
    }

    /**
     * Renders on the renderer thread and waits at most the render time limit. A template that runs longer is
     * stopped: its thread is interrupted, which the engine notices at the next write, loop step, macro call or
     * growing operation, and a new thread renders the next template.
     */
    private <T> T evaluate(Callable<T> rendering) {
        refuseAbandonedRendering();
        Future<T> result = renderer().submit(rendering);
        try {
            return result.get(renderTimeLimit.toMillis(), TimeUnit.MILLISECONDS);
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

    /**
     * Interrupts the rendering thread and waits, briefly, until it has ended, so that it uses nothing more; the
     * thread itself is joined, as the pool counts itself terminated while its last thread is still exiting.
     */
    private void stopRenderer() {
        if (rendererThread != null) {
            abandoned.add(rendererThread);
        }
        renderer.shutdownNow();
        try {
            if (rendererThread != null) {
                rendererThread.join(STOP_GRACE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abandoned.removeIf(thread -> !thread.isAlive());
        renderer = null;
        rendererThread = null;
    }

    /** Whether {@code thread} runs a rendering that was stopped for running out of time. */
    boolean isAbandoned(Thread thread) {
        return abandoned.contains(thread);
    }

    /** Ends a stopped rendering that has not noticed it was stopped, before it changes what later ones use. */
    void refuseAbandonedRendering() {
        if (isAbandoned(Thread.currentThread())) {
            throw limit("rendering abandoned: its time is up");
        }
    }

    private ThreadPoolExecutor renderer() {
        if (renderer == null) {
            renderer = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, RENDERER_THREAD);
                thread.setDaemon(true);
                rendererThread = thread;
                return thread;
            });
            renderer.allowCoreThreadTimeOut(true);
        }
        return renderer;
    }

    /**
     * What went wrong while rendering, as a template error the compiler reports at the template's use. Running
     * out of stack or memory is the template's doing, not plumb's: a recursion without end, or values built larger
     * than plumb can hold, beyond what {@link Limits} refuses one by one.
     */
    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof TemplateError error) {
            return error;
        }
        if (cause instanceof StackOverflowError) {
            return limit("the template exceeds plumb's limits: recursion too deep; a template includes itself, or "
                    + "a macro calls itself without end");
        }
        if (cause instanceof OutOfMemoryError) {
            return limit("the template exceeds plumb's limits: its values need more memory than plumb has; build "
                    + "fewer or smaller strings and lists (each may hold at most " + Limits.MAX_CHARS
                    + " characters or " + Limits.MAX_ELEMENTS + " elements)");
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        throw new IllegalStateException("this is a bug in plumb: rendering failed", cause);
    }

    private static TemplateError limit(String message) {
        return new TemplateError(TemplateError.Kind.LIMIT, message, null, 0, 0, java.util.List.of());
    }

    /**
     * A template error in plumb's words, with the name probably meant: "undefined variable 'facts.os.idd'; did
     * you mean 'facts.os.id'?", "unknown filter 'upperr'; did you mean 'upper'?".
     */
    static String describe(TemplateError e, Map<String, Object> scope) {
        return switch (e.kind()) {
            case UNDEFINED -> e.undefinedPath().size() == 1 ? TemplateNames.undefinedName(e.undefinedPath().get(0), scope,
                    e.localNames()) : e.getMessage();
            case UNKNOWN_FILTER -> "unknown filter '" + e.getMessage() + "'" + Suggestions.didYouMean(e.getMessage(), Filters.NAMES)
                    + "; filters: " + String.join(", ", Filters.NAMES);
            case UNKNOWN_TEST -> "unknown test '" + e.getMessage() + "'" + Suggestions.didYouMean(e.getMessage(), Tests.NAMES)
                    + "; tests: " + String.join(", ", Tests.NAMES);
            case UNKNOWN_FUNCTION -> "unknown function '" + e.getMessage() + "'" + Suggestions.didYouMean(e.getMessage(),
                    Environment.FUNCTIONS) + "; functions: " + String.join(", ", Environment.FUNCTIONS);
            default -> e.getMessage();
        };
    }
}
