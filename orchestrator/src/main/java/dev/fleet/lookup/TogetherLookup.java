package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code together}: the lists zipped element by element, shorter lists padded with None (zip_longest). */
final class TogetherLookup implements Lookup {
    @Override
    public String name() {
        return "together";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        if (terms.isEmpty()) throw new LookupException("with_together requires at least one element in each list");
        List<List<Object>> lists = new ArrayList<>();
        int longest = 0;
        for (Object t : terms) {
            List<Object> l = Terms.listify(t);
            lists.add(l);
            longest = Math.max(longest, l.size());
        }
        List<Object> out = new ArrayList<>(longest);
        for (int i = 0; i < longest; i++) {
            List<Object> row = new ArrayList<>(lists.size());
            for (List<Object> l : lists) row.add(i < l.size() ? l.get(i) : null);
            out.add(row);
        }
        return out;
    }
}
