package dev.fleet.template;

/**
 * Jinja2 reads {@code xs.0} as {@code xs[0]}; jinjava's scanner sees the name {@code xs} and then the number
 * {@code .0}, a syntax error. This rewrites {@code name.N}, {@code ].N} and {@code ).N} to subscripts inside
 * expressions, leaving string literals, numbers ({@code 1.5}) and the text around tags alone.
 */
final class DotIndex {
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
                out.append(s, i, j);
                i = j;
                afterOperand = false;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < to && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                out.append(s, i, j);
                i = j;
                afterOperand = true;
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
            } else if (c == '.' && afterOperand && i + 1 < to && Character.isDigit(s.charAt(i + 1))) {
                int j = i + 1;
                while (j < to && Character.isDigit(s.charAt(j))) j++;
                out.append('[').append(s, i + 1, j).append(']');
                i = j;
                afterOperand = true;
            } else {
                out.append(c);
                afterOperand = c == ']' || c == ')';
                i++;
            }
        }
        return i;
    }
}
