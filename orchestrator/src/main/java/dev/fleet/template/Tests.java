package dev.fleet.template;

import static dev.fleet.template.Args.list;
import static dev.fleet.template.Args.unwrap;

import java.util.Collection;
import java.util.List;
import java.util.Map;

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
            for (Object r : results)
                    if (unwrap(r) instanceof Map<?, ?> rm && flag(rm, "changed", "changed")) return true;
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

    /** {@code a is subset(b)}: every item of a is in b. */
    static boolean subset(Object v, Object[] a) {
        if (a.length < 1) throw new FilterFailure("the 'subset' test needs a list to compare with");
        List<?> big = list(a[0], "subset");
        for (Object o : list(v, "subset")) {
            boolean found = false;
            for (Object b : big) found |= SetFilters.pyEquals(o, b);
            if (!found) return false;
        }
        return true;
    }

    /** {@code truthy(convert_bool=False)}: Python truth, optionally after Ansible's boolean conversion. */
    static boolean truthy(Object v, Object[] a) {
        Object x = unwrap(v);
        if (a.length > 0 && Py.truthy(unwrap(a[0]))
                && (x instanceof String || x instanceof Number || x instanceof Boolean)) {
            String s = Py.str(x).toLowerCase(java.util.Locale.ROOT);
            if (java.util.List.of("y", "yes", "on", "1", "true", "t", "1.0").contains(s)) return true;
            if (java.util.List.of("n", "no", "off", "0", "false", "f", "0.0").contains(s)) return false;
        }
        return Py.truthy(x);
    }

    /** Python's any() and all() over a list. */
    static boolean anyOrAll(Object v, boolean all) {
        for (Object o : list(v, all ? "all" : "any")) if (Py.truthy(unwrap(o)) != all) return !all;
        return all;
    }

    /** The controller's file system, as Ansible's path tests look at it; ~ is the controller user's home. */
    static boolean path(Object v, String test) {
        String p = Py.str(unwrap(v));
        if (test.equals("abs")) return p.startsWith("/");
        java.nio.file.Path path = java.nio.file.Path.of(p.equals("~") || p.startsWith("~/")
                ? System.getProperty("user.home") + p.substring(1) : p);
        return switch (test) {
            case "file" -> java.nio.file.Files.isRegularFile(path);
            case "directory" -> java.nio.file.Files.isDirectory(path);
            case "link" -> java.nio.file.Files.isSymbolicLink(path);
            case "exists" -> java.nio.file.Files.exists(path);
            default -> throw new FilterFailure("unknown path test '" + test + "'");
        };
    }
}
