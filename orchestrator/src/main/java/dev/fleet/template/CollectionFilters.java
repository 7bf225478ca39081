package dev.fleet.template;

import static dev.fleet.template.Args.arg;
import static dev.fleet.template.Args.intArg;
import static dev.fleet.template.Args.list;
import static dev.fleet.template.Args.map;
import static dev.fleet.template.Args.unwrap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Filters on lists and dictionaries: {@code unique}, {@code flatten}, {@code combine}, {@code dict2items}, ... */
final class CollectionFilters {
    private CollectionFilters() {}

    static void flatten(List<?> in, int levels, List<Object> out) {
        for (Object o : in) {
            Object x = unwrap(o);
            if (x instanceof List<?> l && levels != 0) flatten(l, levels - 1, out);
            else if (x != null) out.add(x);
        }
    }

    static Object combine(Object v, Object[] args, Map<String, Object> kwargs) {
        boolean recursive = Py.truthy(kwargs.getOrDefault("recursive", false));
        String listMerge = Py.str(kwargs.getOrDefault("list_merge", "replace"));
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> sources = new ArrayList<>();
        sources.add(v);
        for (Object a : args) {
            Object x = unwrap(a);
            if (x instanceof List<?> l) sources.addAll(l);
            else sources.add(x);
        }
        for (Object s : sources) merge(out, map(s, "combine"), recursive, listMerge);
        return out;
    }

    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> into, Map<?, ?> from, boolean recursive, String listMerge) {
        for (var e : from.entrySet()) {
            String k = String.valueOf(e.getKey());
            Object nv = unwrap(e.getValue()), ov = unwrap(into.get(k));
            if (recursive && ov instanceof Map<?, ?> om && nv instanceof Map<?, ?> nm) {
                Map<String, Object> m = new LinkedHashMap<>();
                merge(m, om, true, listMerge);
                merge(m, nm, true, listMerge);
                into.put(k, m);
            } else if (ov instanceof List<?> ol && nv instanceof List<?> nl && !listMerge.equals("replace")) {
                List<Object> l = new ArrayList<>();
                switch (listMerge) {
                    case "keep" -> l.addAll(ol);
                    case "append" -> { l.addAll(ol); l.addAll(nl); }
                    case "prepend" -> { l.addAll(nl); l.addAll(ol); }
                    case "append_rp" -> { for (Object o : ol) if (!nl.contains(o)) l.add(o); l.addAll(nl); }
                    case "prepend_rp" -> { l.addAll(nl); for (Object o : ol) if (!nl.contains(o)) l.add(o); }
                    default -> throw new FilterFailure("list_merge must be replace, keep, append, prepend,"
                            + " append_rp or prepend_rp, not '" + listMerge + "'");
                }
                into.put(k, l);
            } else {
                into.put(k, nv);
            }
        }
    }

    /** {@code flatten(levels=None)}: nested lists spliced in; None items dropped, as Ansible does. */
    static Object flatten(Object v, Object[] a, Map<String, Object> kw) {
        List<Object> out = new ArrayList<>();
        flatten(list(v, "flatten"), intArg(arg(a, kw, 0, "levels", -1)), out);
        return out;
    }

    /**
     * {@code sort(reverse=False, case_sensitive=False, attribute=None)}: a stable sort, strings compared in lower
     * case unless asked, by an attribute (a dotted path, or several separated by commas) if given.
     */
    static Object sort(Object v, Object[] a, Map<String, Object> kw) {
        boolean reverse = Py.truthy(arg(a, kw, 0, "reverse", false));
        boolean caseSensitive = Py.truthy(arg(a, kw, 1, "case_sensitive", false));
        Object attribute = arg(a, kw, 2, "attribute", null);
        List<String> paths = new ArrayList<>();
        if (attribute != null) {
            for (String p : Py.str(attribute).split(",")) paths.add(p.strip());
        }
        List<Object[]> keyed = new ArrayList<>();
        for (Object o : list(v, "sort")) {
            Object[] keys = new Object[Math.max(1, paths.size())];
            for (int i = 0; i < keys.length; i++) {
                Object k = paths.isEmpty() ? unwrap(o) : Args.attribute(o, paths.get(i));
                if (k instanceof Undefined u) throw u.error();
                keys[i] = !caseSensitive && k instanceof String str ? str.toLowerCase(Locale.ROOT) : k;
            }
            keyed.add(new Object[] {keys, o});
        }
        Comparator<Object[]> order = (x, y) -> {
            Object[] kx = (Object[]) x[0], ky = (Object[]) y[0];
            for (int i = 0; i < kx.length; i++) {
                int c = TypeFilters.compare(kx[i], ky[i]);
                if (c != 0) return c;
            }
            return 0;
        };
        keyed.sort(reverse ? order.reversed() : order);
        List<Object> out = new ArrayList<>(keyed.size());
        for (Object[] k : keyed) out.add(k[1]);
        return out;
    }

    /** {@code list}: a list of the items; a string's characters as strings, a dictionary's keys. */
    static Object toList(Object v, Object[] a, Map<String, Object> kw) {
        Object u = unwrap(v);
        if (u instanceof Object[] arr) return new ArrayList<>(Arrays.asList(arr));
        if (u instanceof Iterator<?> it) {
            List<Object> out = new ArrayList<>();
            it.forEachRemaining(out::add);
            return out;
        }
        if (u instanceof Iterable<?> it && !(u instanceof Collection<?>)) {
            List<Object> out = new ArrayList<>();
            it.forEach(out::add);
            return out;
        }
        return new ArrayList<>(list(u, "list"));
    }

    /** {@code reverse}: a string reversed, any other sequence as a reversed list. */
    static Object reverse(Object v, Object[] a, Map<String, Object> kw) {
        Object u = unwrap(v);
        if (u instanceof String s) return new StringBuilder(s).reverse().toString();
        List<Object> out = new ArrayList<>(list(u, "reverse"));
        Collections.reverse(out);
        return out;
    }

    static Object dict2items(Object v, Object[] a, Map<String, Object> kw) {
        String k = Py.str(arg(a, kw, -1, "key_name", "key")), val = Py.str(arg(a, kw, -1, "value_name", "value"));
        List<Object> out = new ArrayList<>();
        for (var e : map(v, "dict2items").entrySet()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put(k, e.getKey());
            item.put(val, e.getValue());
            out.add(item);
        }
        return out;
    }

    static Object items2dict(Object v, Object[] a, Map<String, Object> kw) {
        String k = Py.str(arg(a, kw, -1, "key_name", "key")), val = Py.str(arg(a, kw, -1, "value_name", "value"));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object item : list(v, "items2dict")) {
            Map<?, ?> m = map(item, "items2dict");
            out.put(Py.str(m.get(k)), m.get(val));
        }
        return out;
    }

    /** {@code extract(container, morekeys=None)}: container[item], then [k] for each further key. */
    static Object extract(Object v, Object[] a, Map<String, Object> kw) {
        Object cur = index(arg(a, kw, 0, "container", null), v);
        Object more = arg(a, kw, 1, "morekeys", null);
        if (more != null) for (Object k : more instanceof List<?> l ? l : List.of(more)) cur = index(cur, unwrap(k));
        return cur;
    }

    private static Object index(Object container, Object key) {
        container = unwrap(container);
        key = unwrap(key);
        if (container instanceof Map<?, ?> m) {
            if (m.containsKey(key)) return unwrap(m.get(key));
            if (key instanceof Number n && m.containsKey(n.intValue())) return unwrap(m.get(n.intValue()));
            if (key != null && m.containsKey(Py.str(key))) return unwrap(m.get(Py.str(key)));
            return new Undefined(Py.str(key));
        }
        if (container instanceof List<?> l && key instanceof Number n) {
            int i = n.intValue() < 0 ? n.intValue() + l.size() : n.intValue();
            return i >= 0 && i < l.size() ? unwrap(l.get(i)) : new Undefined(Py.str(key));
        }
        throw new FilterFailure("extract: cannot index " + Py.typeName(container) + " with " + Py.repr(key));
    }

    /** {@code subelements('a.b', skip_missing=False)}: [item, sub] for every sub in each item's list. */
    static Object subelements(Object v, Object[] a, Map<String, Object> kw) {
        Object obj = unwrap(v);
        List<?> items = obj instanceof Map<?, ?> m ? new ArrayList<>(m.values()) : list(obj, "subelements");
        Object path = arg(a, kw, 0, "subelements", null);
        if (!(path instanceof String p))
                throw new FilterFailure("subelements must be a string, not " + Py.typeName(path));
        boolean skipMissing = Py.truthy(arg(a, kw, 1, "skip_missing", false));
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            Object cur = unwrap(item);
            boolean missing = false;
            for (String key : p.split("\\.")) {
                if (!(cur instanceof Map<?, ?> m))
                        throw new FilterFailure("the key '" + key + "' is not in a dictionary");
                if (!m.containsKey(key)) {
                    if (!skipMissing) throw new FilterFailure("could not find '" + key + "' key in iterated item '"
                            + Py.str(unwrap(item)) + "'");
                    missing = true;
                    break;
                }
                cur = unwrap(m.get(key));
            }
            if (missing) continue;
            if (!(cur instanceof List<?> subs)) throw new FilterFailure("the key " + p + " should point to a list, got "
                    + Py.repr(cur));
            for (Object sub : subs) out.add(java.util.Arrays.asList(unwrap(item), unwrap(sub)));
        }
        return out;
    }
}
