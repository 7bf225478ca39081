package dev.fleet.template;

import static dev.fleet.template.Args.*;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ansible's tests: on registered results ({@code failed}, {@code changed}), {@code contains}, {@code version}. */
final class Tests {
    private Tests() {}

    static boolean flag(Object v, String key, String test) {
        Map<?, ?> m = resultMap(v, test);
        Object f = m.get(key);
        if (f instanceof String s && Py.yamlBool(s) != null) return Py.yamlBool(s);
        return Py.truthy(f);
    }

    static boolean changed(Object v) {
        Map<?, ?> m = resultMap(v, "changed");
        if (m.containsKey("changed")) return flag(m, "changed", "changed");
        if (unwrap(m.get("results")) instanceof List<?> results) { // a looped task's registered result
            for (Object r : results) if (unwrap(r) instanceof Map<?, ?> rm && flag(rm, "changed", "changed")) return true;
        }
        return false;
    }

    static Map<?, ?> resultMap(Object v, String test) {
        v = unwrap(v);
        if (v instanceof Map<?, ?> m) return m;
        throw new FilterFailure("the '" + test + "' test expects a dictionary (a registered result), got "
                + Py.typeName(v));
    }

    static boolean contains(Object container, Object item) {
        container = unwrap(container);
        item = unwrap(item);
        if (container instanceof String s) return s.contains(Py.str(item));
        if (container instanceof Map<?, ?> m) return m.containsKey(item) || m.containsKey(Py.str(item));
        if (container instanceof Collection<?> c) {
            for (Object o : c) if (looseEquals(unwrap(o), item)) return true;
            return false;
        }
        throw new FilterFailure("argument of type '" + Py.typeName(container) + "' is not iterable");
    }

    static boolean looseEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
        return java.util.Objects.equals(a, b);
    }

    static boolean versionTest(Object v, Object[] a) {
        if (a.length < 1) throw new FilterFailure("the 'version' test needs a version to compare with");
        String op = a.length > 1 && a[1] != null ? Py.str(a[1]) : "eq";
        int c = compareVersions(Py.str(v), Py.str(a[0]));
        return switch (op) {
            case "<", "lt" -> c < 0;
            case "<=", "le" -> c <= 0;
            case ">", "gt" -> c > 0;
            case ">=", "ge" -> c >= 0;
            case "==", "=", "eq" -> c == 0;
            case "!=", "<>", "ne" -> c != 0;
            default -> throw new FilterFailure("invalid version operator '" + op + "'");
        };
    }

    static final Pattern VERSION_PART = Pattern.compile("\\d+|[a-zA-Z]+");

    /** LooseVersion-style: numbers compare as numbers, words as strings, a number beats a word. */
    static int compareVersions(String x, String y) {
        List<String> a = versionParts(x), b = versionParts(y);
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i >= a.size()) return -1;
            if (i >= b.size()) return 1;
            String p = a.get(i), q = b.get(i);
            boolean pn = Character.isDigit(p.charAt(0)), qn = Character.isDigit(q.charAt(0));
            int c = pn && qn ? new BigInteger(p).compareTo(new BigInteger(q)) : pn ? 1 : qn ? -1 : p.compareTo(q);
            if (c != 0) return c;
        }
        return 0;
    }

    static List<String> versionParts(String v) {
        List<String> parts = new ArrayList<>();
        Matcher m = VERSION_PART.matcher(v.strip());
        while (m.find()) parts.add(m.group());
        return parts;
    }
}
