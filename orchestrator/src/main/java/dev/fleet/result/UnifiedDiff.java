package dev.fleet.result;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified line diff ({@code --- before: /etc/x}, {@code +++ after: /etc/x}, {@code @@ -a,b +c,d @@} hunks with
 * three lines of context), as {@code --diff} shows for file modules and the console renders Ansible's
 * before/after diffs. Common head and tail are trimmed first; the
 * rest is an LCS, bounded: past {@link #MAX_CELLS} the changed middle is shown as removed and re-added whole.
 */
public final class UnifiedDiff {
    static final int CONTEXT = 3;
    /** Largest LCS table (lines before x lines after, of the part that differs) computed exactly. */
    static final long MAX_CELLS = 4_000_000;

    private UnifiedDiff() {}

    /** The diff of two texts, labelled {@code before: label} / {@code after: label}; empty if they are equal. */
    public static String diff(String before, String after, String label) {
        return diff(before, after, "before: " + label, "after: " + label);
    }

    public static String diff(String before, String after, String fromLabel, String toLabel) {
        if (before.equals(after)) return "";
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<Op> ops = script(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(fromLabel).append('\n');
        out.append("+++ ").append(toLabel).append('\n');
        // Group ops into hunks: runs of changes with at most 2*CONTEXT equal lines between them.
        int n = ops.size();
        int i = 0;
        while (i < n) {
            while (i < n && ops.get(i).kind == ' ') i++;
            if (i >= n) break;
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int j = i;
            while (j < n) {
                if (ops.get(j).kind != ' ') {
                    end = j + 1;
                    j++;
                    continue;
                }
                int k = j;
                while (k < n && ops.get(k).kind == ' ') k++;
                if (k >= n || k - j > 2 * CONTEXT) break;
                j = k;
            }
            end = Math.min(n, end + CONTEXT);
            hunk(out, ops, start, end);
            i = end;
        }
        return out.toString();
    }

    /** Lines with their terminators, so that a missing final newline shows as a difference. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(from, i + 1));
                from = i + 1;
            }
        }
        if (from < text.length()) out.add(text.substring(from));
        return out;
    }

    private record Op(char kind, String line, int aIndex, int bIndex) {}

    private static void hunk(StringBuilder out, List<Op> ops, int start, int end) {
        int aStart = -1;
        int bStart = -1;
        int aCount = 0;
        int bCount = 0;
        for (int k = start; k < end; k++) {
            Op op = ops.get(k);
            if (op.kind != '+') {
                if (aStart < 0) aStart = op.aIndex;
                aCount++;
            }
            if (op.kind != '-') {
                if (bStart < 0) bStart = op.bIndex;
                bCount++;
            }
        }
        // Empty ranges name the line before them, as diff -u does.
        if (aStart < 0) aStart = ops.get(start).aIndex - 1;
        if (bStart < 0) bStart = ops.get(start).bIndex - 1;
        out.append("@@ -").append(range(aStart, aCount)).append(" +").append(range(bStart, bCount))
                .append(" @@\n");
        for (int k = start; k < end; k++) {
            Op op = ops.get(k);
            out.append(op.kind);
            if (op.line.endsWith("\n")) {
                out.append(op.line);
            } else {
                out.append(op.line).append("\n\\ No newline at end of file\n");
            }
        }
    }

    private static String range(int zeroBasedStart, int count) {
        int first = zeroBasedStart + 1;
        return count == 1 ? String.valueOf(first) : first + "," + count;
    }

    /** The edit script: every line of a and b once, as ' ' (both), '-' (a only) or '+' (b only). */
    private static List<Op> script(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) head++;
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) tail++;
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < head; k++) ops.add(new Op(' ', a.get(k), k, k));
        int aEnd = a.size() - tail;
        int bEnd = b.size() - tail;
        int n = aEnd - head;
        int m = bEnd - head;
        if ((long) n * m <= MAX_CELLS) {
            int[][] lcs = new int[n + 1][m + 1];
            for (int x = n - 1; x >= 0; x--) {
                for (int y = m - 1; y >= 0; y--) {
                    lcs[x][y] = a.get(head + x).equals(b.get(head + y)) ? lcs[x + 1][y + 1] + 1
                            : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
                }
            }
            int x = 0;
            int y = 0;
            while (x < n || y < m) {
                if (x < n && y < m && a.get(head + x).equals(b.get(head + y))) {
                    ops.add(new Op(' ', a.get(head + x), head + x, head + y));
                    x++;
                    y++;
                } else if (y < m && (x == n || lcs[x][y + 1] > lcs[x + 1][y])) {
                    ops.add(new Op('+', b.get(head + y), head + x, head + y));
                    y++;
                } else {
                    ops.add(new Op('-', a.get(head + x), head + x, head + y));
                    x++;
                }
            }
        } else {
            for (int x = 0; x < n; x++) ops.add(new Op('-', a.get(head + x), head + x, head));
            for (int y = 0; y < m; y++) ops.add(new Op('+', b.get(head + y), aEnd, head + y));
        }
        for (int k = 0; k < tail; k++) ops.add(new Op(' ', a.get(aEnd + k), aEnd + k, bEnd + k));
        return ops;
    }
}
