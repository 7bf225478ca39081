package dev.fleet.template;

import com.hubspot.jinjava.objects.PyWrapper;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.objects.collections.PyList;
import com.hubspot.jinjava.objects.collections.PyMap;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Python's view of Java values, as Jinja2 and Ansible print, test and serialise them. */
final class Py {
    private Py() {}

    /** Python truthiness; an undefined value cannot be tested. */
    static boolean truthy(Object v) {
        if (v instanceof Undefined u) throw u.error();
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof BigDecimal d) return d.signum() != 0;
        if (v instanceof BigInteger i) return i.signum() != 0;
        if (v instanceof Number n) return n.doubleValue() != 0;
        if (v instanceof CharSequence || v instanceof SafeString) return !v.toString().isEmpty();
        if (v instanceof Collection<?> c) return !c.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        if (v.getClass().isArray()) return Array.getLength(v) != 0;
        return true;
    }

    /** YAML 1.1's spelling of a boolean ("yes", "On", "FALSE", ...), or null when the text is not one. */
    static Boolean yamlBool(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "y" -> Boolean.TRUE;
            case "false", "no", "off", "n" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Python's {@code str()}. */
    static String str(Object v) {
        if (v instanceof String s) return s;
        if (v == null) return "None";
        if (v instanceof Undefined u) throw u.error();
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof Double || v instanceof Float) return floatRepr(((Number) v).doubleValue());
        if (v instanceof BigDecimal d) return floatRepr(d.doubleValue());
        if (v instanceof Number || v instanceof CharSequence || v instanceof SafeString) return v.toString();
        if (v instanceof Map<?, ?> || v instanceof Collection<?> || v.getClass().isArray()) return repr(v);
        return v.toString();
    }

    /** Python's {@code repr()}: strings quoted, containers as Python literals. */
    static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        repr(v, sb, 0);
        return sb.toString();
    }

    private static void repr(Object v, StringBuilder sb, int depth) {
        if (depth > 100) throw new IllegalArgumentException("value nested too deeply to print");
        if (v instanceof PyWrapper) v = unwrapShallow(v);
        if (v instanceof CharSequence || v instanceof SafeString) {
            quote(v.toString(), sb);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (var e : m.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                repr(e.getKey(), sb, depth + 1);
                sb.append(": ");
                repr(e.getValue(), sb, depth + 1);
            }
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            boolean set = v instanceof Set<?>;
            if (set && c.isEmpty()) {
                sb.append("set()");
                return;
            }
            sb.append(set ? '{' : '[');
            boolean first = true;
            for (Object o : c) {
                if (!first) sb.append(", ");
                first = false;
                repr(o, sb, depth + 1);
            }
            sb.append(set ? '}' : ']');
        } else if (v != null && v.getClass().isArray()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) l.add(Array.get(v, i));
            repr(l, sb, depth);
        } else {
            sb.append(str(v));
        }
    }

    private static void quote(String s, StringBuilder sb) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == q) sb.append('\\').append(c);
                    else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append(q);
    }

    /** Python's float repr: 1.0, 0.1, 1e+16, inf, nan. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        double a = Math.abs(d);
        if (a == 0 || (a >= 1e-4 && a < 1e16)) {
            String s = new BigDecimal(Double.toString(d)).toPlainString();
            return s.contains(".") ? s : s + ".0";
        }
        String s = Double.toString(d); // like 1.0E16 or 1.234E-5
        int e = s.indexOf('E');
        String mant = s.substring(0, e);
        if (mant.endsWith(".0")) mant = mant.substring(0, mant.length() - 2);
        int exp = Integer.parseInt(s.substring(e + 1));
        return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** Python's type name, for {@code type_debug} and messages. */
    static String typeName(Object v) {
        if (v == null) return "NoneType";
        if (v instanceof Undefined) return "AnsibleUndefined";
        if (v instanceof Boolean) return "bool";
        if (v instanceof Integer || v instanceof Long || v instanceof BigInteger || v instanceof Short
                || v instanceof Byte) return "int";
        if (v instanceof Number) return "float";
        if (v instanceof CharSequence || v instanceof SafeString) return "str";
        if (v instanceof Map<?, ?>) return "dict";
        if (v instanceof Set<?>) return "set";
        if (v instanceof Collection<?>) return "list";
        return v.getClass().getSimpleName();
    }

    private static Object unwrapShallow(Object v) {
        if (v instanceof PyList l) return l.toList();
        if (v instanceof PyMap m) return m.toMap();
        return v;
    }

    /**
     * Converts a value the engine produced into the plain Java values the rest of fleet uses: jinjava's list
     * and map wrappers become the lists and maps they wrap, safe strings become strings, integer results that
     * fit become Integer (as YAML loads them). Unchanged values are returned as they are, without copying.
     */
    static Object export(Object v) {
        return export(v, 0);
    }

    private static Object export(Object v, int depth) {
        if (depth > 200) throw new IllegalArgumentException("value nested too deeply");
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer) return v;
        if (v instanceof Undefined u) throw u.error();
        if (v instanceof SafeString s) return s.toString();
        if (v instanceof Long l) return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) l.intValue() : l;
        if (v instanceof BigInteger b) return b.bitLength() < 32 ? (Object) b.intValue()
                : b.bitLength() < 64 ? (Object) b.longValue() : b;
        if (v instanceof BigDecimal d) return d.doubleValue();
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof Short || v instanceof Byte) return ((Number) v).intValue();
        v = unwrapShallow(v);
        if (v instanceof List<?> list) {
            List<Object> out = null;
            int i = 0;
            for (Object o : list) {
                Object x = export(o, depth + 1);
                if (out == null && x != o) {
                    out = new ArrayList<>(list.size());
                    Iterator<?> it = list.iterator();
                    for (int j = 0; j < i; j++) out.add(it.next());
                }
                if (out != null) out.add(x);
                i++;
            }
            return out != null ? out : list;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = null;
            int i = 0;
            for (var e : map.entrySet()) {
                Object x = export(e.getValue(), depth + 1);
                boolean keyOk = e.getKey() instanceof String;
                if (out == null && (x != e.getValue() || !keyOk)) {
                    out = new LinkedHashMap<>();
                    Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
                    for (int j = 0; j < i; j++) {
                        var p = it.next();
                        out.put(String.valueOf(p.getKey()), p.getValue());
                    }
                }
                if (out != null) out.put(e.getKey() instanceof String s ? s : str(e.getKey()), x);
                i++;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> same = (Map<String, Object>) map;
            return out != null ? out : same;
        }
        if (v instanceof Collection<?> c) { // sets and other collections become lists
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) out.add(export(o, depth + 1));
            return out;
        }
        return v;
    }

    // ---- JSON, as Python's json.dumps writes it -----------------------------------------------------------

    static String toJson(Object v, int indent, boolean sortKeys, boolean ensureAscii) {
        StringBuilder sb = new StringBuilder();
        json(v, sb, indent, sortKeys, ensureAscii, 0);
        return sb.toString();
    }

    private static void json(Object v, StringBuilder sb, int indent, boolean sort, boolean ascii, int depth) {
        if (depth > 200) throw new IllegalArgumentException("value nested too deeply for JSON");
        if (v instanceof PyWrapper) v = unwrapShallow(v);
        if (v instanceof Undefined u) throw u.error();
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            sb.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                    : floatRepr(d));
        } else if (v instanceof Number) {
            sb.append(str(v));
        } else if (v instanceof Map<?, ?> m) {
            Map<?, ?> src = m;
            if (sort) {
                TreeMap<String, Object> t = new TreeMap<>();
                for (var e : m.entrySet()) t.put(String.valueOf(e.getKey()), e.getValue());
                src = t;
            }
            if (src.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (var e : src.entrySet()) {
                if (!first) sb.append(indent > 0 ? "," : ", ");
                first = false;
                newline(sb, indent, depth + 1);
                Object k = e.getKey();
                jsonString(k instanceof String s ? s : k == null ? "null" : k instanceof Boolean b
                        ? (b ? "true" : "false") : str(k), sb, ascii);
                sb.append(": ");
                json(e.getValue(), sb, indent, sort, ascii, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append('}');
        } else if (v instanceof Collection<?> || v.getClass().isArray()) {
            Collection<?> c;
            if (v instanceof Collection<?> cc) c = cc;
            else {
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < Array.getLength(v); i++) l.add(Array.get(v, i));
                c = l;
            }
            if (c.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) sb.append(indent > 0 ? "," : ", ");
                first = false;
                newline(sb, indent, depth + 1);
                json(o, sb, indent, sort, ascii, depth + 1);
            }
            newline(sb, indent, depth);
            sb.append(']');
        } else {
            jsonString(v.toString(), sb, ascii);
        }
    }

    private static void newline(StringBuilder sb, int indent, int depth) {
        if (indent <= 0) return;
        sb.append('\n');
        sb.append(" ".repeat(indent * depth));
    }

    private static void jsonString(String s, StringBuilder sb, boolean ascii) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ascii && c > 0x7f)) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
