package dev.plumb.resources;

import dev.plumb.api.Suggestions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The schedule of a cron job, checked the way cron reads it: five fields (minute, hour, day of month, month, day
 * of week), each a comma list of {@code *}, {@code N}, {@code N-M}, {@code *}{@code /S} and {@code N-M/S}; or one
 * macro such as {@code @daily}.
 */
final class CronSchedule {

    static final List<String> MACROS =
            List.of("@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");

    private static final List<Field> FIELDS = List.of(
            new Field("minute", 0, 59, List.of()),
            new Field("hour", 0, 23, List.of()),
            new Field("day-of-month", 1, 31, List.of()),
            new Field("month", 1, 12,
                    List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),
            new Field("day-of-week", 0, 7, List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat")));

    /** One time field: its bounds and, for month and day of week, the names cron accepts for its first values. */
    private record Field(String name, int min, int max, List<String> names) {

        /** What a single value may be, as "a number 1-12 or a name jan-dec". */
        String allowed() {
            return "a number " + min + "-" + max
                    + (names.isEmpty() ? "" : " or a name " + names.get(0) + "-" + names.get(names.size() - 1));
        }

        /** The highest value a range that wraps around the end can stop at: Sunday is both 0 and 7. */
        int top() {
            return names.size() == 7 ? 6 : max;
        }
    }

    private CronSchedule() {
    }

    /**
     * What is wrong with {@code schedule}, one message per broken field, each quoting the schedule and naming the
     * field, the value and what is allowed; empty when cron accepts it.
     */
    static List<String> problems(String schedule) {
        String prefix = "'" + schedule + "': ";
        String[] fields = schedule.strip().isEmpty() ? new String[0] : schedule.strip().split("\\s+");
        if (fields.length > 0 && fields[0].startsWith("@")) {
            if (!MACROS.contains(fields[0])) {
                return List.of("'" + fields[0] + "' is not one of " + String.join(", ", MACROS)
                        + ", or five fields" + Suggestions.didYouMean(fields[0], MACROS));
            }
            return fields.length == 1 ? List.of() : List.of(prefix + fields[0] + " stands alone; the user and the "
                    + "command are attributes of their own");
        }
        if (fields.length != FIELDS.size()) {
            return List.of(prefix + "expected five fields (minute hour day-of-month month day-of-week) or one of "
                    + String.join(", ", MACROS) + "; got " + fields.length + (fields.length == 1 ? " field" : " fields")
                    + (fields.length > FIELDS.size() ? " (cron has no seconds field, and the user and the command are "
                    + "attributes of their own)" : ""));
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            String problem = problemIn(FIELDS.get(i), fields[i]);
            if (problem != null) {
                problems.add(prefix + problem);
            }
        }
        return problems;
    }

    /** The schedule as the job's line starts: its fields separated by single spaces. */
    static String normalized(String schedule) {
        return String.join(" ", schedule.strip().split("\\s+"));
    }

    /** The first problem of one field's comma list, or null. */
    private static String problemIn(Field field, String text) {
        for (String element : text.split(",", -1)) {
            if (element.isEmpty()) {
                return field.name + " '" + text + "' has an empty item; separate values with single commas";
            }
            String problem = problemInElement(field, element);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String problemInElement(Field field, String element) {
        int slash = element.indexOf('/');
        String base = slash < 0 ? element : element.substring(0, slash);
        if (slash >= 0) {
            String step = element.substring(slash + 1);
            if (!step.matches("[0-9]{1,9}") || Integer.parseInt(step) == 0) {
                return field.name + " step in '" + element + "' must be a whole number of at least 1";
            }
        }
        if (base.equals("*")) {
            return null;
        }
        String[] bounds = base.split("-", -1);
        if (bounds.length > 2 || !Arrays.stream(bounds).allMatch(bound -> bound.matches("[A-Za-z0-9]+"))) {
            return field.name + " '" + element + "' is not *, N, N-M, */S or N-M/S with N and M each "
                    + field.allowed();
        }
        if (bounds.length == 1 && slash >= 0) {
            return field.name + " '" + element + "' has a step but no range; write */" + element.substring(slash + 1)
                    + " or " + bounds[0] + "-" + field.max + element.substring(slash);
        }
        int[] values = new int[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            String bound = bounds[i];
            int index = field.names.indexOf(bound.toLowerCase());
            if (index >= 0) {
                values[i] = field.min == 0 ? index : index + 1;
            } else if (bound.matches("[0-9]+")) {
                values[i] = bound.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(bound);
                if (values[i] < field.min || values[i] > field.max) {
                    return field.name + " " + bound + (bounds.length > 1 ? " (in " + element + ")" : "")
                            + " is out of range " + field.min + "-" + field.max;
                }
            } else {
                return field.name + " '" + bound + "' is not " + field.allowed()
                        + (bound.matches("[A-Za-z]+") ? Suggestions.didYouMean(bound, field.names) : "");
            }
        }
        if (values.length == 2 && values[0] > values[1]) {
            return field.name + " range " + base + " is descending; write it from low to high, or wrapping around as "
                    + range(values[0], field.top()) + "," + range(field.min, values[1]);
        }
        return null;
    }

    private static String range(int from, int to) {
        return from == to ? String.valueOf(from) : from + "-" + to;
    }
}
