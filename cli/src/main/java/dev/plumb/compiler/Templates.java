package dev.plumb.compiler;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja-style rendering with Pebble, set up as Ansible users expect: no HTML escaping, the newline after a
 * block tag removed, and an undefined variable an error rather than an empty string.
 */
final class Templates {

    private static final Pattern SIMPLE_VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z_][\\w.]*)\\s*}}");

    private final PebbleEngine engine;

    Templates(Path projectDirectory) {
        FileLoader loader = new FileLoader(projectDirectory.resolve("templates").toAbsolutePath() + "/") {
            @Override
            public Reader getReader(String cacheKey) {
                try (Reader reader = super.getReader(cacheKey)) {
                    StringWriter text = new StringWriter();
                    reader.transferTo(text);
                    return new StringReader(trimBlocks(text.toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        this.engine = new PebbleEngine.Builder()
                .loader(loader)
                .autoEscaping(false)
                .strictVariables(true)
                .newLineTrimming(false)
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
        return substituted != null ? substituted : evaluate(engine.getLiteralTemplate(trimBlocks(text)), scope);
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
        return evaluate(engine.getTemplate(name), scope);
    }

    /** Whether an expression such as {@code facts.os.id == 'debian'} holds, by Jinja's truth rules. */
    boolean test(String expression, Map<String, Object> scope) {
        String bare = expression.strip();
        if (bare.startsWith("{{") && bare.endsWith("}}")) {
            bare = bare.substring(2, bare.length() - 2);
        }
        return evaluate(engine.getLiteralTemplate("{% if " + bare + " %}true{% endif %}"), scope).equals("true");
    }

    private static String evaluate(PebbleTemplate template, Map<String, Object> scope) {
        StringWriter out = new StringWriter();
        try {
            template.evaluate(out, scope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A Pebble error in plumb's words: "undefined variable 'port'" rather than Pebble's internals. */
    static String describe(PebbleException e) {
        if (e instanceof AttributeNotFoundException missing) {
            return "undefined variable '" + missing.getAttributeName() + "'";
        }
        String message = e.getPebbleMessage();
        return message == null ? e.toString() : message.replaceAll("\\s*\\(\\?:\\?\\)$", "");
    }
}
