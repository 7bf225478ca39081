package dev.fleet.template;

import static dev.fleet.template.Args.arg;
import static dev.fleet.template.Args.intArg;
import static dev.fleet.template.Args.list;
import static dev.fleet.template.Args.unwrap;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code random} and {@code shuffle}: with a seed, the very picks Ansible makes; without, unpredictable ones. */
final class RandomFilters {
    private RandomFilters() {}

    private static final SecureRandom SYSTEM = new SecureRandom();

    /** {@code random(start=None, step=None, seed=None)}: an integer below an end, or an item of a list. */
    static Object random(Object v, Object[] a, Map<String, Object> kw) {
        Object seed = arg(a, kw, 2, "seed", null);
        PyRandom r = seed == null ? null : new PyRandom(seed);
        Object start = arg(a, kw, 0, "start", null), step = arg(a, kw, 1, "step", null);
        if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) {
            long s = start == null ? 0 : intArg(start), st = step == null || intArg(step) == 0 ? 1 : intArg(step);
            if (r != null) return Py.export(r.range(s, n.longValue(), st));
            long width = n.longValue() - s, count = (width + st - 1) / st;
            if (count <= 0) throw new FilterFailure("random: empty range");
            return Py.export(s + st * SYSTEM.nextLong(count));
        }
        if (Py.truthy(start) || Py.truthy(step))
                throw new FilterFailure("start and step can only be used with integer values");
        List<?> items = list(v, "random");
        if (items.isEmpty()) throw new FilterFailure("random: cannot choose from an empty sequence");
        int i = r != null ? (int) r.below(items.size()) : SYSTEM.nextInt(items.size());
        return unwrap(items.get(i));
    }

    /** {@code shuffle(seed=None)}: a shuffled copy. */
    static Object shuffle(Object v, Object[] a, Map<String, Object> kw) {
        List<Object> out = new ArrayList<>(list(v, "shuffle"));
        Object seed = arg(a, kw, 0, "seed", null);
        if (seed != null && Py.truthy(seed)) new PyRandom(seed).shuffle(out);
        else java.util.Collections.shuffle(out, SYSTEM);
        return out;
    }
}
