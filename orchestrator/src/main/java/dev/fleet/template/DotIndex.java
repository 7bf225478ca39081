package dev.fleet.template;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Rewrites the Jinja2 that jinjava's scanner reads differently, inside expressions only (the text around tags
 * is left alone):
 * <ul>
 * <li>{@code xs.0} is {@code xs[0]} in Jinja2; jinjava sees the name {@code xs} and then the number {@code .0}, a
 * syntax error. {@code name.N}, {@code ].N} and {@code ).N} become subscripts (numbers like {@code 1.5} stay).
 * <li>String literals follow Python's escapes: {@code '\d'} is a backslash and a d, {@code '\x41'} is A. jinjava
 * knows only a few escapes and refuses the rest; a literal with a backslash is rewritten to hold the same text.
 * <li>{@code none} after {@code is} / {@code is not} is the none test, a keyword (null) to jinjava.
 * <li>A variable named {@code empty} (an operator to jinjava) is renamed to {@link #EMPTY_ALIAS}.
 * </ul>
 */
final class DotIndex {
    /** What a variable named {@code empty} is called inside jinjava. */
    static final String EMPTY_ALIAS = "fleet_var_empty";
    /** What the test {@code none} is called inside jinjava. */
    static final String NONE_TEST = "fleet_none";

    /** Names after which a new operand starts. */
    private static final Set<String> OPERAND_BREAKS = Set.of("and", "or", "not", "if", "elif", "else", "in", "for",
            "set", "is", "print", "do", "with", "return");
    /** Names jinjava's scanner reads as keywords, which it refuses as attribute names after a dot. */
    private static final Set<String> KEYWORDS = Set.of("empty", "div", "mod", "eq", "ne", "lt", "gt", "le", "ge",
            "and", "or", "not", "instanceof", "true", "false", "null");

    private DotIndex() {}

    /** Rewrites one bare expression (a condition, or the inside of a lone {@code {{ }}}). */
    static String expression(String expr) {
        if (!mayNeed(expr)) return expr;
        StringBuilder out = new StringBuilder(expr.length() + 8);
        scan(expr, 0, expr.length(), out, false);
        return out.toString();
    }

    /** Rewrites inside every {@code {{ }}} and {@code {% %}} of a template; other text is copied as it is. */
    static String template(String text) {
        if (!mayNeed(text)) return text;
        StringBuilder out = new StringBuilder(text.length() + 8);
        int i = 0;
        while (i < text.length()) {
            int open = nextOpen(text, i);
            if (open < 0) break;
            char kind = text.charAt(open + 1);
            if (kind == '#') {
                int end = text.indexOf("#}", open + 2);
                int stop = end < 0 ? text.length() : end + 2;
                out.append(text, i, stop);
                i = stop;
                continue;
            }
            out.append(text, i, open + 2);
            if (kind == '%' && text.startsWith("raw", skipSpaces(text, open + 2))) {
                int end = text.indexOf("endraw", open + 2);
                int stop = end < 0 ? text.length() : end;
                out.append(text, open + 2, stop);
                i = stop;
                continue;
            }
            i = scan(text, open + 2, text.length(), out, true);
        }
        out.append(text, Math.min(i, text.length()), text.length());
        return out.toString();
    }

    private static boolean mayNeed(String s) {
        if (s.indexOf('\\') >= 0 || s.contains("none") || s.contains("empty")) return true;
        if (s.indexOf('|') >= 0 && s.contains("is")) return true;
        for (int i = s.indexOf('.'); i >= 0 && i + 1 < s.length(); i = s.indexOf('.', i + 1)) {
            if (Character.isDigit(s.charAt(i + 1))) return true;
        }
        return false;
    }

    private static int nextOpen(String s, int from) {
        for (int i = s.indexOf('{', from); i >= 0 && i + 1 < s.length(); i = s.indexOf('{', i + 1)) {
            char c = s.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') return i;
        }
        return -1;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '-' || s.charAt(i) == '+')) i++;
        return i;
    }

    /**
     * Copies s[from, to) into out, rewriting {@code .N} after a name or closing bracket. In a tag, stops after
     * the closing {@code }}} or {@code %}} outside string literals and returns where it stopped.
     */
    private static int scan(String s, int from, int to, StringBuilder out, boolean inTag) {
        int i = from;
        boolean afterOperand = false; // the previous token was a name, ']' or ')'
        String prev = null, prev2 = null; // the last two tokens, if names (null for any other token)
        boolean afterDot = false;
        // per open bracket: where the current operand starts in out, and whether it has a filter (jinjava cannot
        // parse `x | f is test`, Jinja2 reads `(x | f) is test`)
        Deque<int[]> operands = new ArrayDeque<>();
        operands.push(new int[] {out.length(), 0});
        while (i < to) {
            char c = s.charAt(i);
            if (inTag && (c == '}' || c == '%') && i + 1 < to && s.charAt(i + 1) == '}') {
                out.append(c).append('}');
                return i + 2;
            }
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < to && s.charAt(j) != c) j += s.charAt(j) == '\\' ? 2 : 1;
                j = Math.min(j + 1, to);
                if (j - i >= 2 && s.charAt(j - 1) == c && s.indexOf('\\', i) >= 0 && s.indexOf('\\', i) < j) {
                    literal(unescape(s.substring(i + 1, j - 1)), c, out);
                } else {
                    out.append(s, i, j);
                }
                i = j;
                afterOperand = false;
                prev2 = prev;
                prev = null;
                afterDot = false;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < to && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                String name = s.substring(i, j);
                int[] operand = operands.peek();
                if (name.equals("is") && operand[1] != 0) {
                    out.insert(operand[0], '(');
                    int end = out.length();
                    while (end > operand[0] + 1 && Character.isWhitespace(out.charAt(end - 1))) end--;
                    out.insert(end, ')');
                }
                if (afterDot && KEYWORDS.contains(name) && out.length() > 0 && out.charAt(out.length() - 1) == '.') {
                    out.setLength(out.length() - 1); // x.empty: jinjava's scanner takes the name for a keyword
                    out.append("['").append(name).append("']");
                } else if (name.equals("none") && ("is".equals(prev) || "is".equals(prev2) && "not".equals(prev))) {
                    out.append(NONE_TEST);
                } else if (name.equals("empty") && !afterDot) {
                    out.append(EMPTY_ALIAS);
                } else {
                    out.append(name);
                }
                i = j;
                afterOperand = true;
                prev2 = prev;
                prev = name;
                afterDot = false;
                if (OPERAND_BREAKS.contains(name)) {
                    operand[0] = out.length();
                    operand[1] = 0;
                }
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < to && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '.'
                        || ((s.charAt(j) == '+' || s.charAt(j) == '-')
                                && (s.charAt(j - 1) == 'e' || s.charAt(j - 1) == 'E')))) {
                    j++;
                }
                out.append(s, i, j);
                i = j;
                afterOperand = false;
                prev2 = prev;
                prev = null;
                afterDot = false;
            } else if (c == '.' && afterOperand && i + 1 < to && Character.isDigit(s.charAt(i + 1))) {
                int j = i + 1;
                while (j < to && Character.isDigit(s.charAt(j))) j++;
                out.append('[').append(s, i + 1, j).append(']');
                i = j;
                afterOperand = true;
                prev2 = prev;
                prev = null;
            } else {
                out.append(c);
                i++;
                afterOperand = c == ']' || c == ')';
                if (Character.isWhitespace(c)) continue;
                if (c == '(' || c == '[' || c == '{') {
                    operands.push(new int[] {out.length(), 0});
                } else if ((c == ')' || c == ']' || c == '}') && operands.size() > 1) {
                    operands.pop();
                } else if (c == '|') {
                    operands.peek()[1] = 1;
                } else if (c != '.' && c != ')' && c != ']' && c != '}') {
                    operands.peek()[0] = out.length(); // an operator, a comma or a colon starts a new operand
                    operands.peek()[1] = 0;
                }
                afterDot = c == '.';
                prev2 = prev;
                prev = null;
            }
        }
        return i;
    }

    /** The text of a Python string literal's body: its escapes decoded, unknown ones kept as written. */
    static String unescape(String body) {
        StringBuilder sb = new StringBuilder(body.length());
        int n = body.length();
        for (int i = 0; i < n; i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                sb.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case '\n' -> { } // a backslash at the end of a line joins the lines
                case '\\', '\'', '"' -> sb.append(e);
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    int cp = hex(body, i + 1, len);
                    if (cp >= 0 && Character.isValidCodePoint(cp)) {
                        sb.appendCodePoint(cp);
                        i += len;
                    } else {
                        sb.append('\\').append(e);
                    }
                }
                case 'N' -> {
                    int close = body.indexOf('}', i);
                    int cp = -1;
                    if (i + 1 < n && body.charAt(i + 1) == '{' && close > i) {
                        try {
                            cp = Character.codePointOf(body.substring(i + 2, close));
                        } catch (IllegalArgumentException notAName) {
                            cp = -1;
                        }
                    }
                    if (cp >= 0) {
                        sb.appendCodePoint(cp);
                        i = close;
                    } else {
                        sb.append('\\').append(e);
                    }
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0', k = 1;
                        while (k < 3 && i + 1 < n && body.charAt(i + 1) >= '0' && body.charAt(i + 1) <= '7') {
                            v = v * 8 + body.charAt(++i) - '0';
                            k++;
                        }
                        sb.append((char) v);
                    } else {
                        sb.append('\\').append(e);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static int hex(String s, int from, int len) {
        if (from + len > s.length()) return -1;
        int v = 0;
        for (int i = from; i < from + len; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        return v;
    }

    /** A jinjava string literal holding text, using only the escapes jinjava's scanner knows. */
    private static void literal(String text, char quote, StringBuilder out) {
        out.append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c == quote) out.append('\\');
                    out.append(c);
                }
            }
        }
        out.append(quote);
    }
}
