package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code subelements}: {@code [record, element]} for each element of a list inside each record. Terms: the
 * records (a list, or a dict whose values are the records), the key of the list ({@code mysql.hosts} for a
 * nested one), and optionally {@code {'skip_missing': true}} to pass over records that lack it.
 *
 * <p>As in Ansible, the record in each pair no longer holds the list it was split on (Ansible pops it out);
 * fleet takes it out of a copy, so the variable itself is left as it was.
 */
final class SubelementsLookup implements Lookup {
    @Override
    public String name() {
        return "subelements";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        if (terms.size() < 2 || terms.size() > 3) throw usage("");
        Object records = terms.get(0) instanceof Map ? terms.get(0) : Terms.listify(terms.get(0));
        if (!(terms.get(1) instanceof String key)) {
            throw usage("first a dict or a list, second a string pointing to the subkey");
        }
        List<Object> elements;
        if (records instanceof Map<?, ?> m) {
            if (skipped(m)) return new ArrayList<>();
            elements = new ArrayList<>(m.values());
        } else {
            elements = new ArrayList<>((List<?>) records);
        }
        boolean skipMissing = false;
        if (terms.size() == 3) {
            if (!(terms.get(2) instanceof Map<?, ?> flags)
                    || !flags.keySet().stream().allMatch("skip_missing"::equals)) {
                throw usage("the optional third item must be a dict with flags ('skip_missing',)");
            }
            Object v = flags.get("skip_missing");
            skipMissing = v != null && Terms.bool(v, "skip_missing");
        }
        if (options.containsKey("skip_missing")) skipMissing = Terms.bool(options.get("skip_missing"), "skip_missing");
        String[] path = key.split("\\.", -1);
        List<Object> out = new ArrayList<>();
        for (Object element : elements) {
            if (!(element instanceof Map<?, ?> record)) {
                throw new LookupException("subelements lookup expects a dictionary, got " + Terms.describe(element));
            }
            if (skipped(record)) continue;
            Map<String, Object> copy = copy(record);
            List<?> sublist = take(copy, path, skipMissing);
            for (Object item : sublist) {
                List<Object> pair = new ArrayList<>(2);
                pair.add(copy);
                pair.add(item);
                out.add(pair);
            }
        }
        return out;
    }

    /** Removes and returns the list at path inside the (copied) record; empty when missing and skipping. */
    private static List<?> take(Map<String, Object> record, String[] path, boolean skipMissing) throws LookupException {
        Map<String, Object> at = record;
        for (int i = 0; i < path.length; i++) {
            String k = path[i];
            if (!at.containsKey(k)) {
                if (skipMissing) return List.of();
                throw new LookupException("could not find '" + k + "' key in iterated item " + at
                        + " (pass {'skip_missing': true} as the third term to skip such items)");
            }
            Object v = at.get(k);
            if (i < path.length - 1) {
                if (!(v instanceof Map<?, ?> m)) {
                    if (skipMissing) return List.of();
                    throw new LookupException("the key " + k + " should point to a dictionary, got "
                            + Terms.describe(v));
                }
                Map<String, Object> inner = copy(m);
                at.put(k, inner);
                at = inner;
            } else {
                if (!(v instanceof List<?> l)) {
                    throw new LookupException("the key " + k + " should point to a list, got " + Terms.describe(v));
                }
                at.remove(k);
                return l;
            }
        }
        return List.of();
    }

    private static Map<String, Object> copy(Map<?, ?> m) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (var e : m.entrySet()) c.put(String.valueOf(e.getKey()), e.getValue());
        return c;
    }

    /** A registered result of a skipped task, which Ansible's loops pass over. */
    private static boolean skipped(Map<?, ?> m) {
        return m.containsKey("skipped") && !Boolean.FALSE.equals(m.get("skipped"));
    }

    private static LookupException usage(String detail) {
        return new LookupException("subelements lookup expects a list of two or three items"
                + (detail.isEmpty() ? "" : ", " + detail));
    }
}
