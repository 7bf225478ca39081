package dev.fleet.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The type of one module argument, as Ansible's {@code argument_spec} {@code type:}. {@link #convert} turns what a
 * playbook wrote (YAML scalars, strings from {@code key=value}, rendered templates) into the Java value the module
 * reads: {@code String}, {@code Boolean}, {@code Integer}, {@code Double}, {@code List}, {@code Map}, with Ansible's
 * conversions ({@code "yes"} is true, {@code "8080"} is 8080, {@code "a,b"} is a list of two).
 */
public sealed interface ArgType {
    ArgType STR = new Str();
    ArgType BOOL = new Bool();
    ArgType INT = new Int();
    ArgType FLOAT = new Float();
    ArgType PATH = new PathType();
    ArgType DICT = new Dict();
    ArgType RAW = new Raw();

    static ArgType listOf(ArgType elements) {
        return new ListOf(elements);
    }

    /** The name used in error messages, Ansible's: {@code int}, {@code list of str}. */
    String label();

    /**
     * The value as this type.
     *
     * @throws Mismatch naming what was found, for the caller to wrap with the argument's name
     */
    Object convert(Object value) throws Mismatch;

    /** A value that is not of the type and cannot be converted; the message says what the value was. */
    final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message);
        }
    }

    /** A string. Numbers and booleans become their text ({@code True}, as Python writes it), as in Ansible. */
    record Str() implements ArgType {
        public String label() {
            return "str";
        }

        public Object convert(Object v) throws Mismatch {
            if (v instanceof String s) return s;
            if (v instanceof Boolean b) return b ? "True" : "False";
            if (v instanceof Number) return String.valueOf(v);
            throw new Mismatch("got a " + kind(v) + " (" + v + ")");
        }
    }

    /** Ansible's booleans: yes/no, true/false, on/off, y/n, t/f, 1/0, in any case. */
    record Bool() implements ArgType {
        private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t", "1.0");
        private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f", "0.0");

        public String label() {
            return "bool";
        }

        public Object convert(Object v) throws Mismatch {
            if (v instanceof Boolean b) return b;
            String s = String.valueOf(v).strip().toLowerCase(Locale.ROOT);
            if (v instanceof String || v instanceof Number) {
                if (TRUE.contains(s)) return true;
                if (FALSE.contains(s)) return false;
            }
            throw new Mismatch("got '" + v + "' (use true/false or yes/no)");
        }
    }

    /** A whole number; a string of digits and a float without a fraction convert, "1.5" does not. */
    record Int() implements ArgType {
        public String label() {
            return "int";
        }

        public Object convert(Object v) throws Mismatch {
            if (v instanceof Integer i) return i;
            if (v instanceof Long l && l == l.intValue()) return l.intValue();
            if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) return d.intValue();
            if (v instanceof String s) {
                try {
                    return Integer.parseInt(s.strip());
                } catch (NumberFormatException e) {
                    // falls through to the message
                }
            }
            throw new Mismatch("got '" + v + "'");
        }
    }

    record Float() implements ArgType {
        public String label() {
            return "float";
        }

        public Object convert(Object v) throws Mismatch {
            if (v instanceof Number n) return n.doubleValue();
            if (v instanceof String s) {
                try {
                    return Double.parseDouble(s.strip());
                } catch (NumberFormatException e) {
                    // falls through to the message
                }
            }
            throw new Mismatch("got '" + v + "'");
        }
    }

    /**
     * A path on the host, as a string. Unlike Ansible, {@code ~} and {@code $VAR} are not expanded here (that
     * happens on the host, where the shell sees them), and an empty path is refused now rather than failing later
     * with a less clear message from the host.
     */
    record PathType() implements ArgType {
        public String label() {
            return "path";
        }

        public Object convert(Object v) throws Mismatch {
            String s = (String) STR.convert(v);
            if (s.isBlank()) throw new Mismatch("got an empty path");
            return s;
        }
    }

    /**
     * A list; a string becomes the list of its comma-separated parts and a number a one-item list, as in Ansible
     * (which keeps the spaces around the commas; fleet strips them, so "a, b" is [a, b], and "" is []).
     */
    record ListOf(ArgType elements) implements ArgType {
        public String label() {
            return elements instanceof Raw ? "list" : "list of " + elements.label();
        }

        public Object convert(Object v) throws Mismatch {
            List<?> items;
            if (v instanceof List<?> l) items = l;
            else if (v instanceof String s) items = s.isBlank() ? List.of()
                    : java.util.Arrays.stream(s.split(",", -1)).map(String::strip).toList();
            else if (v instanceof Number || v instanceof Boolean) items = List.of(STR.convert(v));
            else throw new Mismatch("got a " + kind(v) + " (" + v + ")");
            List<Object> out = new ArrayList<>();
            for (Object item : items) {
                try {
                    out.add(elements.convert(item));
                } catch (Mismatch e) {
                    throw new Mismatch("item " + out.size() + ": " + e.getMessage());
                }
            }
            return List.copyOf(out);
        }
    }

    /** A mapping; a string is read as {@code k=v k2=v2} (or {@code k=v, k2=v2}), as Ansible's dict type does. */
    record Dict() implements ArgType {
        public String label() {
            return "dict";
        }

        public Object convert(Object v) throws Mismatch {
            if (v instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, val) -> out.put(String.valueOf(k), val));
                return out;
            }
            if (v instanceof String s && s.contains("=")) {
                try {
                    KeyValueSplitter.Parsed p = KeyValueSplitter.parse(s.replace(",", " "), null);
                    if (p.rawParams() == null) return new LinkedHashMap<String, Object>(p.options());
                } catch (KeyValueSplitter.Unbalanced e) {
                    throw new Mismatch("got '" + s + "': " + e.getMessage());
                }
            }
            throw new Mismatch("got " + (v instanceof String ? "'" + v + "'" : "a " + kind(v) + " (" + v + ")"));
        }
    }

    /** Anything, passed on as written ({@code copy}'s {@code content}, {@code debug}'s {@code msg}). */
    record Raw() implements ArgType {
        public String label() {
            return "raw";
        }

        public Object convert(Object v) {
            return v;
        }
    }

    private static String kind(Object v) {
        return v instanceof Map<?, ?> ? "mapping" : v instanceof List<?> ? "list" : v instanceof String ? "string"
                : v instanceof Boolean ? "boolean" : v instanceof Number ? "number" : v.getClass().getSimpleName();
    }
}
