package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code nested}: every combination of one element from each list (the cartesian product), first list
 * outermost. An element that is itself a list is spliced into the combination, as Ansible does.
 *
 * <p>One deliberate difference: given a single list, ansible-core 2.14 splits each string element into its
 * characters ({@code ['ab']} gives {@code [['a', 'b']]}) and fails on numbers; fleet gives each element as a
 * one-element combination ({@code [['ab']]}), which is what a one-list product means.
 */
final class NestedLookup implements Lookup {
    private static final int MAX_COMBINATIONS = 1_000_000;

    @Override
    public String name() {
        return "nested";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        if (terms.isEmpty()) throw new LookupException("with_nested requires at least one element in the nested list");
        List<List<Object>> combos = new ArrayList<>();
        combos.add(List.of());
        for (Object term : terms) {
            List<Object> elements = Terms.listify(term);
            if ((long) combos.size() * elements.size() > MAX_COMBINATIONS) {
                throw new LookupException("with_nested would produce more than " + MAX_COMBINATIONS
                        + " combinations; loop over fewer or shorter lists");
            }
            List<List<Object>> next = new ArrayList<>(combos.size() * elements.size());
            for (List<Object> prefix : combos) {
                for (Object e : elements) {
                    List<Object> combo = new ArrayList<>(prefix);
                    if (e instanceof List<?> l) combo.addAll(l);
                    else combo.add(e);
                    next.add(combo);
                }
            }
            combos = next;
        }
        return new ArrayList<>(combos);
    }
}
