package dev.plumb.system;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two file contents, as {@code diff -u} prints it. Binary content and content too large to
 * diff cheaply are summarised in one line instead.
 */
public final class UnifiedDiff {

    private static final int CONTEXT = 3;
    private static final int MAX_BYTES = 512 * 1024;
    /** The diff table is (changed old lines × changed new lines); beyond this, summarise. */
    private static final long MAX_CELLS = 4_000_000;

    private UnifiedDiff() {
    }

    /** The diff from {@code before} to {@code after} for {@code path}; {@code before} is null for a new file. */
    public static String of(String path, byte[] before, byte[] after) {
        byte[] old = before == null ? new byte[0] : before;
        String oldText = Utf8.decodeOrNull(old);
        String newText = Utf8.decodeOrNull(after);
        if (oldText == null || newText == null) {
            return "binary content changed (" + old.length + " bytes to " + after.length + " bytes)";
        }
        if (old.length > MAX_BYTES || after.length > MAX_BYTES) {
            return "content changed (" + old.length + " bytes to " + after.length + " bytes; too large to show)";
        }
        List<String> a = lines(oldText);
        List<String> b = lines(newText);
        List<Edit> edits = edits(a, b);
        if (edits == null) {
            return "content changed (" + a.size() + " lines to " + b.size() + " lines; too many changes to show)";
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(before == null ? "/dev/null" : path).append('\n');
        out.append("+++ ").append(path).append('\n');
        appendHunks(out, edits);
        return out.toString();
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                lines.add(text.substring(start) + "\n\\ No newline at end of file");
                break;
            }
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        return lines;
    }

    private enum Kind { SAME, DELETE, INSERT }

    private record Edit(Kind kind, String line, int oldLine, int newLine) {
    }

    /** The edit script by longest common subsequence, after trimming the common head and tail. */
    private static List<Edit> edits(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        int n = a.size() - head - tail;
        int m = b.size() - head - tail;
        if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
            return null;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(head + i).equals(b.get(head + j))
                        ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>(a.size() + b.size());
        for (int k = 0; k < head; k++) {
            edits.add(new Edit(Kind.SAME, a.get(k), k, k));
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(head + i).equals(b.get(head + j))) {
                edits.add(new Edit(Kind.SAME, a.get(head + i), head + i, head + j));
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                edits.add(new Edit(Kind.DELETE, a.get(head + i), head + i, head + j));
                i++;
            } else {
                edits.add(new Edit(Kind.INSERT, b.get(head + j), head + i, head + j));
                j++;
            }
        }
        for (int k = 0; k < tail; k++) {
            edits.add(new Edit(Kind.SAME, a.get(head + n + k), head + n + k, head + m + k));
        }
        return edits;
    }

    private static void appendHunks(StringBuilder out, List<Edit> edits) {
        int index = 0;
        while (index < edits.size()) {
            while (index < edits.size() && edits.get(index).kind == Kind.SAME) {
                index++;
            }
            if (index == edits.size()) {
                return;
            }
            int start = Math.max(0, index - CONTEXT);
            int end = index;
            int lastChange = index;
            // Changes whose contexts touch (at most 2 × CONTEXT unchanged lines apart) share a hunk, as in diff -u.
            while (end < edits.size() && end - lastChange <= 2 * CONTEXT + 1) {
                if (edits.get(end).kind != Kind.SAME) {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + CONTEXT + 1);
            appendHunk(out, edits.subList(start, end));
            index = end;
        }
    }

    private static void appendHunk(StringBuilder out, List<Edit> hunk) {
        int oldCount = 0;
        int newCount = 0;
        for (Edit edit : hunk) {
            if (edit.kind != Kind.INSERT) {
                oldCount++;
            }
            if (edit.kind != Kind.DELETE) {
                newCount++;
            }
        }
        Edit first = hunk.get(0);
        out.append("@@ -").append(range(first.oldLine, oldCount)).append(" +").append(range(first.newLine, newCount))
                .append(" @@\n");
        for (Edit edit : hunk) {
            out.append(switch (edit.kind) {
                case SAME -> ' ';
                case DELETE -> '-';
                case INSERT -> '+';
            }).append(edit.line).append('\n');
        }
    }

    private static String range(int zeroBasedStart, int count) {
        int start = count == 0 ? zeroBasedStart : zeroBasedStart + 1;
        return count == 1 ? String.valueOf(start) : start + "," + count;
    }
}
