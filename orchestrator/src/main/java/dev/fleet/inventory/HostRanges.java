package dev.fleet.inventory;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands Ansible host ranges: {@code web[01:20].example.com}, {@code db-[a:c]}, {@code node[1:10:2]}; several
 * ranges in one name multiply. Zero padding follows the start value as in Ansible ({@code [01:20]} gives
 * {@code 01 .. 20}), letter ranges use Ansible's alphabet {@code a..zA..Z}.
 */
final class HostRanges {
    /** A typo such as {@code [1:10000000]} must not exhaust memory; this is far beyond any real fleet. */
    static final int MAX_HOSTS = 100_000;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private HostRanges() {}

    static boolean hasRange(String name) {
        return name.indexOf('[') >= 0 || name.indexOf(']') >= 0;
    }

    static List<String> expand(String pattern, SourcePosition pos) throws ParseException {
        List<String> out = new ArrayList<>();
        expand(pattern, pattern, pos, out);
        return out;
    }

    private static void expand(String whole, String pattern, SourcePosition pos, List<String> out)
            throws ParseException {
        int open = pattern.indexOf('[');
        int close = pattern.indexOf(']');
        if (open < 0) {
            if (close >= 0) throw bad(whole, pos, "']' without a matching '['");
            add(whole, pattern, pos, out);
            return;
        }
        if (close < 0) throw bad(whole, pos, "'[' without a matching ']'");
        if (close < open) throw bad(whole, pos, "']' without a matching '['");
        String head = pattern.substring(0, open);
        String inner = pattern.substring(open + 1, close);
        String tail = pattern.substring(close + 1);
        String[] bounds = inner.split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw bad(whole, pos, "expected [start:end] or [start:end:step] with numbers or letters");
        }
        String begin = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        if (end.isEmpty()) throw bad(whole, pos, "the range has no end value; expected [start:end]");
        int step = 1;
        if (bounds.length == 3) {
            try {
                step = Integer.parseInt(bounds[2]);
            } catch (NumberFormatException e) {
                step = 0;
            }
            if (step < 1) throw bad(whole, pos, "step '" + bounds[2] + "' must be a positive number");
        }
        List<String> values = new ArrayList<>();
        int bi = begin.length() == 1 ? LETTERS.indexOf(begin.charAt(0)) : -1;
        int ei = end.length() == 1 ? LETTERS.indexOf(end.charAt(0)) : -1;
        if (bi >= 0 && ei >= 0) {
            if (bi > ei) throw bad(whole, pos, "start '" + begin + "' comes after end '" + end + "'");
            for (int i = bi; i <= ei; i += step) values.add(String.valueOf(LETTERS.charAt(i)));
        } else {
            if (!begin.matches("[0-9]{1,18}") || !end.matches("[0-9]{1,18}")) {
                throw bad(whole, pos, "expected [start:end] with numbers or letters");
            }
            // Ansible pads only when the start has a leading zero, and then insists on equal widths.
            int width = begin.length() > 1 && begin.charAt(0) == '0' ? begin.length() : 0;
            if (width > 0 && end.length() != width) {
                throw bad(whole, pos, "zero-padded start '" + begin + "' and end '" + end
                        + "' must have the same number of digits");
            }
            long b = Long.parseLong(begin);
            long e = Long.parseLong(end);
            if (b > e) throw bad(whole, pos, "start " + begin + " comes after end " + end);
            if ((e - b) / step + 1 > MAX_HOSTS) throw tooMany(whole, pos);
            for (long i = b; i <= e; i += step) {
                String s = Long.toString(i);
                values.add(width > s.length() ? "0".repeat(width - s.length()) + s : s);
            }
        }
        List<String> tails = new ArrayList<>();
        expand(whole, tail, pos, tails);
        for (String v : values) {
            for (String t : tails) add(whole, head + v + t, pos, out);
        }
    }

    private static void add(String whole, String name, SourcePosition pos, List<String> out) throws ParseException {
        if (out.size() >= MAX_HOSTS) throw tooMany(whole, pos);
        out.add(name);
    }

    private static ParseException tooMany(String whole, SourcePosition pos) {
        return bad(whole, pos, "expands to more than " + MAX_HOSTS + " hosts");
    }

    private static ParseException bad(String whole, SourcePosition pos, String detail) {
        return new ParseException(pos, "bad host range '" + whole + "': " + detail);
    }
}
