package dev.fleet.engine;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * A text's lines as Python's {@code str.splitlines()} cuts them, for a registered result's {@code stdout_lines}
 * and {@code stderr_lines}. Every result is registered in this form (also for {@code failed_when} and each loop
 * item) but few read their lines: they are found only when first asked for, kept as offsets into the text, and
 * each line is cut when read. Eager splitting held a String per line, several times the output itself for
 * short lines (8 MiB of "y\n" made over 200 MB of strings).
 *
 * <p>"\r\n" is one break (a terminal's output, as {@code expect} returns it, has them), a lone "\r" and the other
 * Unicode breaks are breaks too, and a break at the end makes no empty last line. Unmodifiable.
 */
final class TextLines extends AbstractList<String> implements RandomAccess {
    private final String text;
    /** Start and end of line i at [2i] and [2i+1]; null until first asked for. */
    private volatile int[] bounds;

    TextLines(String text) {
        this.text = text;
    }

    @Override
    public String get(int index) {
        int[] b = bounds();
        if (index < 0 || 2 * index >= b.length) {
            throw new IndexOutOfBoundsException("line " + index + " of " + b.length / 2);
        }
        return text.substring(b[2 * index], b[2 * index + 1]);
    }

    @Override
    public int size() {
        return bounds().length / 2;
    }

    private int[] bounds() {
        int[] b = bounds;
        if (b == null) bounds = b = split(text);
        return b;
    }

    private static int[] split(String text) {
        int[] out = new int[16];
        int n = 0;
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isBreak(c)) {
                if (n + 2 > out.length) out = Arrays.copyOf(out, out.length * 2);
                out[n++] = from;
                out[n++] = i;
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                from = i + 1;
            }
        }
        if (from < text.length()) {
            if (n + 2 > out.length) out = Arrays.copyOf(out, out.length + 2);
            out[n++] = from;
            out[n++] = text.length();
        }
        return Arrays.copyOf(out, n);
    }

    private static boolean isBreak(char c) {
        return c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || (c >= 0x1c && c <= 0x1e) || c == 0x85
                || c == 0x2028 || c == 0x2029;
    }
}
