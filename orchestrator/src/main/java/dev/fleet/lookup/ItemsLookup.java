package dev.fleet.lookup;

import java.util.List;
import java.util.Map;

/** {@code items}: the terms with list terms flattened one level, as {@code with_items} loops over them. */
final class ItemsLookup implements Lookup {
    @Override
    public String name() {
        return "items";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx) {
        return Terms.flattenOnce(terms);
    }
}
