package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code indexed_items}: {@code [index, item]} pairs of the terms flattened one level, counting from 0. */
final class IndexedItemsLookup implements Lookup {
    @Override
    public String name() {
        return "indexed_items";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx) {
        List<Object> items = Terms.flattenOnce(terms);
        List<Object> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) out.add(pair(i, items.get(i)));
        return out;
    }

    private static List<Object> pair(int index, Object item) {
        List<Object> p = new ArrayList<>(2); // not List.of: the item may be null
        p.add(index);
        p.add(item);
        return p;
    }
}
