package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions the lookups share: terms to lists and strings, option values to booleans and numbers. */
final class Terms {
    private Terms() {}

    /**
     * A value as a list of terms, as Ansible's {@code listify_lookup_plugin_terms}: a list stays as it is, and
     * anything else (a string, a map, a number) becomes a one-element list.
     */
    static List<Object> listify(Object value) {
        if (value instanceof List<?> l) return new ArrayList<>(l);
        if (value instanceof Collection<?> c && !(value instanceof Map)) return new ArrayList<>(c);
        List<Object> one = new ArrayList<>(1);
        one.add(value);
        return one;
    }

    /** One level of flattening: the elements of list terms, and other terms as they are. */
    static List<Object> flattenOnce(List<?> terms) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            if (t instanceof List<?> l) out.addAll(l);
            else out.add(t);
        }
        return out;
    }

    static String string(Object term, String lookup) throws LookupException {
        if (term instanceof String s) return s;
        throw new LookupException("the " + lookup + " lookup expects string terms, got " + describe(term));
    }

    static String describe(Object v) {
        if (v == null) return "None";
        if (v instanceof String s) return "'" + s + "'";
        if (v instanceof List) return "a list " + v;
        if (v instanceof Map) return "a dict " + v;
        return v.getClass().getSimpleName().toLowerCase() + " " + v;
    }

    /** A boolean option as Ansible reads one: true/yes/on/1 and false/no/off/0, in any case. */
    static boolean bool(Object v, String option) throws LookupException {
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) return n.doubleValue() == 1;
        if (v instanceof String s) {
            switch (s.strip().toLowerCase()) {
                case "y", "yes", "on", "1", "true", "t" -> { return true; }
                case "n", "no", "off", "0", "false", "f", "" -> { return false; }
                default -> { }
            }
        }
        throw new LookupException("option " + option + " must be a boolean (true/false), got " + describe(v));
    }

    /** An integer option: a number, or a string in decimal. */
    static long integer(Object v, String option) throws LookupException {
        if (v instanceof Integer || v instanceof Long || v instanceof Short) return ((Number) v).longValue();
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.longValue();
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new LookupException("option " + option + " must be an integer, got " + describe(v));
    }

    /**
     * An integer written as Python's {@code int(s, 0)} reads it: decimal, or 0x/0o/0b prefixed; a decimal with
     * a leading zero is refused, as Python refuses it.
     */
    static long pythonInt(String s, String what) throws LookupException {
        String t = s.strip().replace("_", "");
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) t = t.substring(1);
        String lower = t.toLowerCase();
        try {
            long v;
            if (lower.startsWith("0x")) v = Long.parseLong(t.substring(2), 16);
            else if (lower.startsWith("0o")) v = Long.parseLong(t.substring(2), 8);
            else if (lower.startsWith("0b")) v = Long.parseLong(t.substring(2), 2);
            else if (t.length() > 1 && t.startsWith("0") && !t.matches("0+")) throw new NumberFormatException();
            else v = Long.parseLong(t);
            return negative ? -v : v;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new LookupException("can't parse " + what + "=" + s + " as integer");
        }
    }

    /**
     * {@code key=value} words, as Ansible's {@code parse_kv}: words split on spaces outside quotes, values
     * unquoted; words without {@code =} are joined under {@code _raw_params}.
     */
    static Map<String, String> parseKv(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> raw = new ArrayList<>();
        for (String word : words(text)) {
            int eq = word.indexOf('=');
            if (eq > 0 && !word.substring(0, eq).contains("\"") && !word.substring(0, eq).contains("'")) {
                out.put(word.substring(0, eq).strip(), unquote(word.substring(eq + 1).strip()));
            } else {
                raw.add(word);
            }
        }
        if (!raw.isEmpty()) out.put("_raw_params", String.join(" ", raw));
        return out;
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote && text.charAt(i - 1) != '\\') quote = 0;
                cur.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                cur.append(c);
            } else if (Character.isWhitespace(c)) {
                if (!cur.isEmpty()) words.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!cur.isEmpty()) words.add(cur.toString());
        return words;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
