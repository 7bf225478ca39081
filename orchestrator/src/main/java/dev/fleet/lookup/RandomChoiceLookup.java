package dev.fleet.lookup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** {@code random_choice}: one of the terms, picked at random (none when there are none). */
final class RandomChoiceLookup implements Lookup {
    @Override
    public String name() {
        return "random_choice";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx) {
        List<Object> out = new ArrayList<>(1);
        if (!terms.isEmpty()) out.add(terms.get(ThreadLocalRandom.current().nextInt(terms.size())));
        return out;
    }
}
