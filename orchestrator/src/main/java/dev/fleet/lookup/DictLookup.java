package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code dict}: each dict term as {@code {key, value}} entries, in the dict's own order. */
final class DictLookup implements Lookup {
    @Override
    public String name() {
        return "dict";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            if (!(term instanceof Map<?, ?> map)) {
                throw new LookupException("with_dict expects a dict, got " + Terms.describe(term)
                        + "; to loop over a list use with_items or loop");
            }
            for (var e : map.entrySet()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("key", e.getKey());
                entry.put("value", e.getValue());
                out.add(entry);
            }
        }
        return out;
    }
}
