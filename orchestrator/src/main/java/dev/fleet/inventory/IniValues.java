package dev.fleet.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Types an INI inventory value the way Ansible does: it runs Python's {@code ast.literal_eval} and keeps the raw
 * text when that fails. So {@code 8080} is an int, {@code 1.5} a float, {@code True}/{@code False} booleans,
 * {@code None} null, {@code 'a b'} / {@code "a b"} strings, {@code [1, 2]} a list and {@code {'a': 1}} a map,
 * while {@code yes}, {@code 007} or {@code a b} stay strings. Unlike Ansible, lowercase {@code true}/{@code false}
 * are booleans too, because fleet users write them expecting booleans (Ansible itself only treats them as truthy
 * strings in conditionals).
 */
final class IniValues {
    private static final Pattern NUMBER = Pattern.compile(
            "[+-]?(?:0[xX][0-9a-fA-F](?:_?[0-9a-fA-F])*|0[oO][0-7](?:_?[0-7])*|0[bB][01](?:_?[01])*"
                    + "|(?:(?:[0-9](?:_?[0-9])*)?\\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\\.?)(?:[eE][+-]?[0-9]+)?)");

    private final String s;
    private int i;

    private IniValues(String s) {
        this.s = s;
    }

    static Object parse(String raw) {
        IniValues p = new IniValues(raw);
        try {
            p.ws();
            Object v = p.value(0);
            p.ws();
            if (p.i != raw.length()) return raw;
            return v;
        } catch (NotALiteral e) {
            return raw;
        }
    }

    /** Thrown when the text is not a Python literal; the caller then keeps the raw string, as Ansible does. */
    private static final class NotALiteral extends Exception {
        NotALiteral() {
            super(null, null, false, false);
        }
    }

    private Object value(int depth) throws NotALiteral {
        if (depth > 50 || i >= s.length()) throw new NotALiteral();
        char c = s.charAt(i);
        if (c == '\'' || c == '"') {
            StringBuilder sb = new StringBuilder();
            do {
                sb.append(string());
                ws();
            } while (i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '"')); // 'a' 'b' concatenates
            return sb.toString();
        }
        if (c == '[' || c == '(') return list(c == '[' ? ']' : ')', depth);
        if (c == '{') return dict(depth);
        if (Character.isLetter(c)) {
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            return switch (s.substring(start, i)) {
                case "True", "true" -> Boolean.TRUE;
                case "False", "false" -> Boolean.FALSE;
                case "None" -> null;
                default -> throw new NotALiteral();
            };
        }
        Matcher m = NUMBER.matcher(s);
        m.region(i, s.length());
        if (!m.lookingAt()) throw new NotALiteral();
        String t = m.group().replace("_", "");
        i = m.end();
        return number(t);
    }

    private static Object number(String t) throws NotALiteral {
        String u = t.startsWith("+") ? t.substring(1) : t;
        boolean neg = u.startsWith("-");
        String mag = neg ? u.substring(1) : u;
        long n;
        try {
            if (mag.length() > 1 && mag.charAt(0) == '0' && Character.isLetter(mag.charAt(1))) {
                int radix = switch (Character.toLowerCase(mag.charAt(1))) {
                    case 'x' -> 16;
                    case 'o' -> 8;
                    default -> 2;
                };
                n = Long.parseLong(mag.substring(2), radix);
            } else if (mag.contains(".") || mag.contains("e") || mag.contains("E")) {
                return Double.parseDouble(u);
            } else {
                // Python 3 rejects leading zeros such as 007 (but not 0 or 000), so they stay strings.
                if (mag.length() > 1 && mag.charAt(0) == '0' && !mag.matches("0+")) throw new NotALiteral();
                n = Long.parseLong(mag);
            }
        } catch (NumberFormatException e) {
            throw new NotALiteral(); // beyond a long: keep the text rather than lose digits
        }
        if (neg) n = -n;
        if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) return (int) n;
        return n;
    }

    private String string() throws NotALiteral {
        char q = s.charAt(i++);
        StringBuilder sb = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == q) return sb.toString();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i >= s.length()) throw new NotALiteral();
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case '\\', '\'', '"' -> sb.append(e);
                case 'x', 'u' -> {
                    int len = e == 'x' ? 2 : 4;
                    if (i + len > s.length()) throw new NotALiteral();
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i, i + len), 16));
                    } catch (NumberFormatException ex) {
                        throw new NotALiteral();
                    }
                    i += len;
                }
                default -> sb.append('\\').append(e); // Python keeps unknown escapes such as \d
            }
        }
        throw new NotALiteral();
    }

    private List<Object> list(char close, int depth) throws NotALiteral {
        i++;
        List<Object> out = new ArrayList<>();
        ws();
        while (true) {
            if (i >= s.length()) throw new NotALiteral();
            if (s.charAt(i) == close) {
                i++;
                return out;
            }
            out.add(value(depth + 1));
            ws();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
                ws();
            } else if (i >= s.length() || s.charAt(i) != close) {
                throw new NotALiteral();
            }
        }
    }

    private Map<String, Object> dict(int depth) throws NotALiteral {
        i++;
        Map<String, Object> out = new LinkedHashMap<>();
        ws();
        while (true) {
            if (i >= s.length()) throw new NotALiteral();
            if (s.charAt(i) == '}') {
                i++;
                return out;
            }
            Object key = value(depth + 1);
            ws();
            if (i >= s.length() || s.charAt(i) != ':') throw new NotALiteral(); // a set: not supported
            i++;
            ws();
            out.put(String.valueOf(key), value(depth + 1));
            ws();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
                ws();
            } else if (i >= s.length() || s.charAt(i) != '}') {
                throw new NotALiteral();
            }
        }
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }
}
