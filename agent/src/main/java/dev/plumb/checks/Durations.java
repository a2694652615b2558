package dev.plumb.checks;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as project files write them: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}; a bare number is seconds. */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,3})?)\\s*(ms|s|m)?");

    private Durations() {
    }

    /** The duration, or null when the text is not one. */
    public static Duration parseOrNull(String text) {
        Matcher matcher = DURATION.matcher(text.strip());
        if (!matcher.matches()) {
            return null;
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        BigDecimal millis = switch (unit) {
            case "ms" -> amount;
            case "m" -> amount.multiply(BigDecimal.valueOf(60_000));
            default -> amount.multiply(BigDecimal.valueOf(1_000));
        };
        return Duration.ofMillis(millis.longValue());
    }

    /** A duration for people: {@code 250 ms}, {@code 2 s}, {@code 1.5 s}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        return BigDecimal.valueOf(millis).movePointLeft(3).stripTrailingZeros().toPlainString() + " s";
    }
}
