package dev.plumb.compiler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.ComposerException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Composes a YAML document within bounds a hostile or mistaken file cannot exceed. The composer shares an
 * aliased node, so a few hundred bytes of anchors and aliases compose fine, but the compiler copies each
 * alias when it turns nodes into values: a "billion laughs" would exhaust memory, and a recursive alias
 * would never end. Nesting is bounded too, since composing and converting recurse once per level.
 */
final class YamlBounds {

    /** Deeper than any real configuration; well within the stack of a compiler that recurses per level. */
    static final int MAX_DEPTH = 100;
    /** How many values aliases may add beyond the document's own, when every alias is copied out. */
    static final int MAX_ALIAS_EXPANSION = 1_000_000;
    /** Aliases of lists and mappings per document; scalars are not counted, as they cannot multiply. */
    static final int MAX_COLLECTION_ALIASES = 1_000;

    private YamlBounds() {
    }

    static LoadSettings settings(String label) {
        return LoadSettings.builder().setLabel(label).setCodePointLimit(InputFiles.MAX_BYTES)
                .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES).setAllowRecursiveKeys(false)
                // A list or mapping as a key is reported by YamlReader, at its line and column.
                .setAllowNonScalarKeys(true).build();
    }

    /** The document's root node, checked against every bound; a {@link ComposerException} at the offending node if not. */
    static Optional<Node> compose(String label, String text) {
        LoadSettings settings = settings(label);
        Optional<Node> root = new Composer(settings, new DepthLimitedParser(settings, text)).getSingleNode();
        root.ifPresent(node -> new Expansion(text.length() + (long) MAX_ALIAS_EXPANSION).measure(node, 1));
        return root;
    }

    private static ComposerException tooDeep(Optional<Mark> at) {
        return new ComposerException("nested more than " + MAX_DEPTH + " levels deep (counting what aliases "
                + "bring in); flatten the structure", at);
    }

    /** Counts nesting as the events stream by, before the composer recurses into a level that is too deep. */
    private static final class DepthLimitedParser implements Parser {
        private final Parser parser;
        private int depth;

        DepthLimitedParser(LoadSettings settings, String text) {
            this.parser = new ParserImpl(settings, new StreamReader(settings, text));
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return parser.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return parser.hasNext();
        }

        @Override
        public Event next() {
            Event event = parser.next();
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > MAX_DEPTH) {
                        throw tooDeep(event.getStartMark());
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                default -> { }
            }
            return event;
        }
    }

    /**
     * Measures the document as the compiler will see it, every alias copied out, without copying anything:
     * each distinct node is measured once, so a billion laughs costs as little as it took to write.
     */
    private static final class Expansion {
        /** For each measured node: its size (values, itself included) and its height (levels below it). */
        private final Map<Node, long[]> measured = new IdentityHashMap<>();
        private final Set<Node> open = Collections.newSetFromMap(new IdentityHashMap<>());
        private final long maxSize;

        Expansion(long maxSize) {
            this.maxSize = maxSize;
        }

        long[] measure(Node node, int depth) {
            long[] known = measured.get(node);
            if (known != null) {
                if (depth + known[1] > MAX_DEPTH) {
                    throw tooDeep(node.getStartMark());
                }
                return known;
            }
            if (depth > MAX_DEPTH) {
                throw tooDeep(node.getStartMark());
            }
            if (!open.add(node)) {
                throw new ComposerException("an alias refers to a list or mapping that contains it, which would "
                        + "never end; copy the values instead", node.getStartMark());
            }
            long size = 1;
            long height = 0;
            for (Node child : children(node)) {
                long[] childMeasure = measure(child, depth + 1);
                size += childMeasure[0];
                height = Math.max(height, childMeasure[1] + 1);
                if (size > maxSize) {
                    throw new ComposerException("aliases here expand to more than " + MAX_ALIAS_EXPANSION
                            + " values beyond the file's own; use fewer aliases", node.getStartMark());
                }
            }
            open.remove(node);
            long[] result = {size, height};
            measured.put(node, result);
            return result;
        }

        private static List<Node> children(Node node) {
            if (node instanceof SequenceNode sequence) {
                return sequence.getValue();
            }
            List<Node> children = new ArrayList<>();
            if (node instanceof MappingNode mapping) {
                mapping.getValue().forEach(tuple -> {
                    children.add(tuple.getKeyNode());
                    children.add(tuple.getValueNode());
                });
            }
            return children;
        }
    }
}
