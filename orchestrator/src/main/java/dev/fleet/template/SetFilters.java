package dev.fleet.template;

import static dev.fleet.template.Args.arg;
import static dev.fleet.template.Args.intArg;
import static dev.fleet.template.Args.list;
import static dev.fleet.template.Args.unwrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ansible's set theory and itertools filters on lists: {@code unique}, {@code union}, {@code intersect},
 * {@code difference}, {@code symmetric_difference}, {@code product}, {@code permutations},
 * {@code combinations}, {@code zip}, {@code zip_longest}. Results keep first-seen order, as Ansible's do for
 * lists; elements compare as Python compares them (1 == 1.0).
 */
final class SetFilters {
    private SetFilters() {}

    private static final int MAX_RESULT = 1_000_000;

    static boolean pyEquals(Object a, Object b) {
        a = unwrap(a);
        b = unwrap(b);
        if (a instanceof Number x && b instanceof Number y) {
            boolean xi = x instanceof Integer || x instanceof Long, yi = y instanceof Integer || y instanceof Long;
            return xi && yi ? x.longValue() == y.longValue() : x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!pyEquals(x.get(i), y.get(i))) return false;
            return true;
        }
        return java.util.Objects.equals(a, b);
    }

    private static boolean in(Object item, List<?> list) {
        for (Object o : list) if (pyEquals(o, item)) return true;
        return false;
    }

    /** Jinja2's unique: first occurrences; strings compare ignoring case unless case_sensitive. */
    static List<Object> unique(List<?> items, boolean caseSensitive, Object attribute) {
        List<Object> out = new ArrayList<>(), keys = new ArrayList<>();
        for (Object o : items) {
            Object key = attribute != null ? Args.attribute(o, Py.str(attribute)) : unwrap(o);
            if (!caseSensitive && key instanceof String s) key = s.toLowerCase(Locale.ROOT);
            if (in(key, keys)) continue;
            keys.add(key);
            out.add(unwrap(o));
        }
        return out;
    }

    static Object unique(Object v, Object[] a, Map<String, Object> kw) {
        return unique(list(v, "unique"), Py.truthy(arg(a, kw, 0, "case_sensitive", false)),
                arg(a, kw, 1, "attribute", null));
    }

    static Object union(Object v, Object[] a, Map<String, Object> kw) {
        List<Object> all = new ArrayList<>(list(v, "union"));
        all.addAll(list(arg(a, kw, 0, "b", List.of()), "union"));
        return unique(all, true, null);
    }

    static Object intersect(Object v, Object[] a, Map<String, Object> kw) {
        List<?> b = list(arg(a, kw, 0, "b", List.of()), "intersect");
        List<Object> out = new ArrayList<>();
        for (Object o : list(v, "intersect")) if (in(o, b)) out.add(o);
        return unique(out, true, null);
    }

    static Object difference(Object v, Object[] a, Map<String, Object> kw) {
        List<?> b = list(arg(a, kw, 0, "b", List.of()), "difference");
        List<Object> out = new ArrayList<>();
        for (Object o : list(v, "difference")) if (!in(o, b)) out.add(o);
        return unique(out, true, null);
    }

    static Object symmetricDifference(Object v, Object[] a, Map<String, Object> kw) {
        @SuppressWarnings("unchecked")
        List<Object> both = (List<Object>) intersect(v, a, kw);
        List<Object> out = new ArrayList<>();
        for (Object o : (List<?>) union(v, a, kw)) if (!in(o, both)) out.add(o);
        return out;
    }

    /** {@code product(*lists, repeat=1)}: the cartesian product, as lists. */
    static Object product(Object v, Object[] a, Map<String, Object> kw) {
        List<List<?>> pools = new ArrayList<>();
        pools.add(list(v, "product"));
        for (Object o : a) pools.add(list(o, "product"));
        int repeat = intArg(kw.getOrDefault("repeat", 1));
        List<List<?>> all = new ArrayList<>();
        for (int r = 0; r < repeat; r++) all.addAll(pools);
        List<List<Object>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        for (List<?> pool : all) {
            List<List<Object>> next = new ArrayList<>();
            for (List<Object> prefix : out) {
                for (Object o : pool) {
                    List<Object> t = new ArrayList<>(prefix);
                    t.add(unwrap(o));
                    next.add(t);
                    if (next.size() > MAX_RESULT)
                            throw new FilterFailure("product: more than " + MAX_RESULT + " results");
                }
            }
            out = next;
        }
        return out;
    }

    /** {@code permutations(r=len)}: r-length orderings, in itertools' order. */
    static Object permutations(Object v, Object[] a, Map<String, Object> kw) {
        List<?> pool = list(v, "permutations");
        Object r = arg(a, kw, 0, "r", null);
        int n = r == null ? pool.size() : intArg(r);
        List<Object> out = new ArrayList<>();
        if (n <= pool.size() && n >= 0) permute(pool, n, new ArrayList<>(), new boolean[pool.size()], out);
        return out;
    }

    private static void permute(List<?> pool, int n, List<Object> cur, boolean[] used, List<Object> out) {
        if (cur.size() == n) {
            out.add(new ArrayList<>(cur));
            if (out.size() > MAX_RESULT) throw new FilterFailure("permutations: more than " + MAX_RESULT + " results");
            return;
        }
        for (int i = 0; i < pool.size(); i++) {
            if (used[i]) continue;
            used[i] = true;
            cur.add(unwrap(pool.get(i)));
            permute(pool, n, cur, used, out);
            cur.remove(cur.size() - 1);
            used[i] = false;
        }
    }

    /** {@code combinations(r)}: r-length subsequences, in itertools' order. */
    static Object combinations(Object v, Object[] a, Map<String, Object> kw) {
        List<?> pool = list(v, "combinations");
        int n = intArg(arg(a, kw, 0, "r", 0));
        List<Object> out = new ArrayList<>();
        if (n <= pool.size() && n >= 0) combine(pool, n, 0, new ArrayList<>(), out);
        return out;
    }

    private static void combine(List<?> pool, int n, int from, List<Object> cur, List<Object> out) {
        if (cur.size() == n) {
            out.add(new ArrayList<>(cur));
            if (out.size() > MAX_RESULT) throw new FilterFailure("combinations: more than " + MAX_RESULT + " results");
            return;
        }
        for (int i = from; i < pool.size(); i++) {
            cur.add(unwrap(pool.get(i)));
            combine(pool, n, i + 1, cur, out);
            cur.remove(cur.size() - 1);
        }
    }

    /** {@code zip(*lists)} (shortest wins) and {@code zip_longest(*lists, fillvalue=None)}. */
    static Object zip(Object v, Object[] a, Map<String, Object> kw, boolean longest) {
        List<List<?>> lists = new ArrayList<>();
        lists.add(list(v, "zip"));
        for (Object o : a) lists.add(list(o, "zip"));
        int n = longest ? 0 : Integer.MAX_VALUE;
        for (List<?> l : lists) n = longest ? Math.max(n, l.size()) : Math.min(n, l.size());
        Object fill = unwrap(kw.get("fillvalue"));
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Object> t = new ArrayList<>();
            for (List<?> l : lists) t.add(i < l.size() ? unwrap(l.get(i)) : fill);
            out.add(t);
        }
        return out;
    }
}
