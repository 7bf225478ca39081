package dev.fleet.template;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rewrites one Python {@code re} pattern into {@link java.util.regex.Pattern} syntax, for {@link PythonRegex}.
 * One pass over the pattern, knowing only whether it is inside a character class, is enough: every difference
 * that matters is local to one construct.
 */
final class PythonRegexTranslator {
    private final String py;
    private final StringBuilder out;
    private final Map<String, Integer> names = new LinkedHashMap<>();
    private int groups;
    private int i;

    PythonRegexTranslator(String pattern) {
        this.py = pattern;
        this.out = new StringBuilder(pattern.length() + 16);
    }

    Map<String, Integer> names() {
        return names;
    }

    String translate() {
        boolean inClass = false;
        int classFirst = -1; // where a ']' would still be a literal, right after '[' or '[^'
        for (i = 0; i < py.length(); i++) {
            char c = py.charAt(i);
            if (c == '\\') {
                escape(inClass);
            } else if (inClass) {
                if (c == ']' && i != classFirst) {
                    out.append(']');
                    inClass = false;
                } else if (c == ']' || c == '[' || c == '&' || c == ' ' || c == '#') {
                    out.append('\\').append(c); // Java reads '[' as a nested class, '&&' as intersection
                } else {
                    out.append(c);
                }
            } else if (c == '[') {
                out.append('[');
                inClass = true;
                if (i + 1 < py.length() && py.charAt(i + 1) == '^') out.append(py.charAt(++i));
                classFirst = i + 1;
            } else if (c == '(') {
                group();
            } else if (c == '{') {
                brace();
            } else if (c == '}') {
                out.append("\\}");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at position " + i + " in regular expression '"
                + PythonRegex.abbreviate(py) + "'");
    }

    private void escape(boolean inClass) {
        if (i + 1 >= py.length()) throw error("bad escape (end of pattern)");
        char d = py.charAt(++i);
        if (d >= '0' && d <= '9') {
            digits(d, inClass);
            return;
        }
        switch (d) {
            case 'Z' -> {
                if (inClass) throw error("bad escape \\Z");
                out.append("\\z"); // Python's \Z is the very end; Java's would allow a final newline
            }
            case 'A', 'B' -> {
                if (inClass) throw error("bad escape \\" + d);
                out.append('\\').append(d);
            }
            case 'b' -> out.append(inClass ? "\\x08" : "\\b");
            case 'a' -> out.append("\\x07");
            case 'v' -> out.append("\\x0B"); // Java's \v is a class of vertical whitespace
            case 'd', 'D', 's', 'S', 'w', 'W', 'f', 'n', 'r', 't', 'x', 'u', 'N' -> out.append('\\').append(d);
            case 'U' -> {
                if (i + 8 >= py.length()) throw error("incomplete escape \\U");
                String hex = py.substring(i + 1, i + 9);
                if (!hex.matches("[0-9a-fA-F]{8}")) throw error("incomplete escape \\U" + hex);
                out.append("\\x{").append(hex).append('}');
                i += 8;
            }
            default -> {
                if (d < 0x80 && Character.isLetter(d)) throw error("bad escape \\" + d);
                if (d < 0x80) out.append('\\');
                out.append(d); // an escaped punctuation mark, or a non-ASCII character as itself
            }
        }
    }

    /** {@code \0}, {@code \012} are octal characters; {@code \1}..{@code \99} backreferences (outside classes). */
    private void digits(char d, boolean inClass) {
        boolean octal3 = i + 2 < py.length() && isOctal(d) && isOctal(py.charAt(i + 1)) && isOctal(py.charAt(i + 2));
        if (d == '0' || octal3 || inClass) {
            if (!isOctal(d)) throw error("bad escape \\" + d);
            int v = 0, j = i;
            while (j < py.length() && j < i + 3 && isOctal(py.charAt(j))) v = v * 8 + (py.charAt(j++) - '0');
            if (v > 0377) throw error("octal escape value \\" + py.substring(i, j) + " outside of range 0-0o377");
            out.append(String.format("\\x{%x}", v));
            i = j - 1;
            return;
        }
        int j = i + 1;
        if (j < py.length() && Character.isDigit(py.charAt(j))) j++;
        int n = Integer.parseInt(py.substring(i, j));
        if (n > groups) throw error("invalid group reference " + n);
        out.append("(?:\\").append(n).append(')'); // parenthesised: Java would read \1 then 0 as \10
        i = j - 1;
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }

    private void group() {
        if (!py.startsWith("(?", i)) {
            groups++;
            out.append('(');
            return;
        }
        if (py.startsWith("(?P<", i)) {
            int end = py.indexOf('>', i);
            if (end < 0) throw error("missing '>' in group name");
            String name = py.substring(i + 4, end);
            if (!name.matches("[\\p{L}_][\\p{L}\\p{N}_]*")) throw error("bad character in group name '" + name + "'");
            if (names.containsKey(name)) throw error("redefinition of group name '" + name + "'");
            names.put(name, ++groups);
            out.append('('); // Java group names allow no '_': a numbered group, looked up through names
            i = end;
        } else if (py.startsWith("(?P=", i)) {
            int end = py.indexOf(')', i);
            if (end < 0) throw error("missing ')' after group name");
            String name = py.substring(i + 4, end);
            Integer n = names.get(name);
            if (n == null) throw error("unknown group name '" + name + "'");
            out.append("(?:\\").append(n).append(')');
            i = end;
        } else if (py.startsWith("(?#", i)) {
            int end = py.indexOf(')', i);
            if (end < 0) throw error("missing ')', unterminated comment");
            i = end;
        } else if (py.startsWith("(?(", i)) {
            throw error("conditional groups (?(id)yes|no) are not supported; use two patterns or alternatives");
        } else if (py.startsWith("(?<", i) && !py.startsWith("(?<=", i) && !py.startsWith("(?<!", i)) {
            throw error("unknown extension ?<" + (i + 3 < py.length() ? py.charAt(i + 3) : "")
                    + " (Python spells named groups (?P<name>...))");
        } else if (i + 2 < py.length() && "aiLmsux-".indexOf(py.charAt(i + 2)) >= 0) {
            flags();
        } else {
            out.append('('); // (?: (?= (?! (?<= (?<! (?>
        }
    }

    /** Inline flags {@code (?aiLmsux)}, {@code (?i:...)}, {@code (?i-s:...)}, in Java's letters. */
    private void flags() {
        int j = i + 2;
        StringBuilder on = new StringBuilder(), off = new StringBuilder();
        boolean negating = false, ascii = false, ignoreCase = false;
        for (; j < py.length() && py.charAt(j) != ')' && py.charAt(j) != ':'; j++) {
            char f = py.charAt(j);
            switch (f) {
                case '-' -> negating = true;
                case 'i', 'm', 's', 'x' -> {
                    (negating ? off : on).append(f);
                    if (f == 'i' && !negating) ignoreCase = true;
                }
                case 'a' -> ascii = true;
                case 'u', 'L' -> { } // Unicode is the default; LOCALE is for bytes patterns
                default -> throw error("unknown flag '" + f + "'");
            }
        }
        if (j >= py.length()) throw error("missing ')' or ':' after flags");
        if (ascii) off.append('U');
        else if (ignoreCase) on.append('u');
        boolean scoped = py.charAt(j) == ':';
        if (on.isEmpty() && off.isEmpty()) {
            if (scoped) out.append("(?:");
        } else {
            out.append("(?").append(on);
            if (!off.isEmpty()) out.append('-').append(off);
            out.append(scoped ? ':' : ')');
        }
        i = j;
    }

    /** A brace that starts a valid quantifier stays one ({@code {,n}} gains Java's 0); any other is a literal. */
    private void brace() {
        int j = i + 1;
        int startMin = j;
        while (j < py.length() && Character.isDigit(py.charAt(j))) j++;
        String min = py.substring(startMin, j);
        String max = null;
        if (j < py.length() && py.charAt(j) == ',') {
            int startMax = ++j;
            while (j < py.length() && Character.isDigit(py.charAt(j))) j++;
            max = py.substring(startMax, j);
        }
        boolean valid = j < py.length() && py.charAt(j) == '}' && (!min.isEmpty() || max != null);
        if (!valid) {
            out.append("\\{");
            return;
        }
        out.append('{').append(min.isEmpty() ? "0" : min);
        if (max != null) out.append(',').append(max);
        out.append('}');
        i = j;
    }
}
