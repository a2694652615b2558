package dev.plumb.compiler;

import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.extension.core.RangeFunction;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;

/**
 * Pebble's {@code range(start, end, step)} without its cost: Pebble builds the whole list first, so
 * {@code range(0, 1000000000)} exhausts memory before the first step. This one computes each number when it
 * is read, refuses more than {@link #MAX_LENGTH} numbers, and stops when its rendering is abandoned.
 */
final class BoundedRange extends AbstractList<Long> {

    /** Long enough for any configuration; short enough that printing it whole stays small. */
    static final long MAX_LENGTH = 1_000_000;

    private final long start;
    private final long step;
    private final int size;

    private BoundedRange(long start, long step, int size) {
        this.start = start;
        this.step = step;
        this.size = size;
    }

    @Override
    public Long get(int index) {
        TemplateLimits.stopIfInterrupted();
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return start + index * step;
    }

    @Override
    public int size() {
        return size;
    }

    /** The bounded {@code range}, in place of Pebble's; ranges of characters stay Pebble's. */
    static final class Range implements Function {
        private final RangeFunction pebble = new RangeFunction();

        @Override
        public List<String> getArgumentNames() {
            return pebble.getArgumentNames();
        }

        @Override
        public Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext context, int lineNumber) {
            if (!(args.get("start") instanceof Number start) || !(args.get("end") instanceof Number end)
                    || args.get("increment") != null && !(args.get("increment") instanceof Number)) {
                return pebble.execute(args, self, context, lineNumber);
            }
            long step = args.get("increment") == null ? 1 : ((Number) args.get("increment")).longValue();
            if (step == 0) {
                throw new PebbleException(null, "range: the step must not be 0", lineNumber, self.getName());
            }
            // Pebble's range includes its end, as range(1, 3) is 1, 2, 3.
            long length = (end.longValue() - start.longValue()) / step + 1;
            if (length > MAX_LENGTH) {
                throw new PebbleException(null, "range(" + start + ", " + end + ") has " + length + " numbers, more "
                        + "than the limit of " + MAX_LENGTH, lineNumber, self.getName());
            }
            return new BoundedRange(start.longValue(), step, (int) Math.max(length, 0));
        }
    }
}
