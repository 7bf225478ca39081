package dev.fleet.engine;

import dev.fleet.inventory.Inventory;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code hostvars}: every host's variables (inventory, include_vars, facts and registered results, extra vars),
 * computed only for the hosts a template actually looks up, so a task on a 1000-host fleet does not copy 1000 maps.
 * On a cluster worker, what tasks set on a host another worker runs is asked of the coordinator
 * ({@link Elsewhere}); the answer is kept for the life of this map, which is one task's (values change between
 * tasks).
 */
final class HostVars extends AbstractMap<String, Object> {
    private final Inventory inventory;
    private final Function<String, HostState> hosts;
    private final Map<String, Object> extraVars;
    private final Elsewhere elsewhere;
    /** What was asked of {@link #elsewhere} for this task; read and written by the task's thread. */
    private final Map<String, HostFacts> fetched = new HashMap<>();

    /**
     * Hosts whose state lives in another JVM ({@code runsElsewhere}) and how to read it ({@code lookup}, blocking).
     * {@link #NONE} in a one-JVM run, and on the coordinator (which keeps every host's state).
     */
    record Elsewhere(Predicate<String> runsElsewhere, HostFactsLookup lookup) {
        static final Elsewhere NONE = new Elsewhere(h -> false, hs -> Map.of());
    }

    HostVars(Inventory inventory, Function<String, HostState> hosts, Map<String, Object> extraVars) {
        this(inventory, hosts, extraVars, Elsewhere.NONE);
    }

    HostVars(Inventory inventory, Function<String, HostState> hosts, Map<String, Object> extraVars,
            Elsewhere elsewhere) {
        this.inventory = inventory;
        this.hosts = hosts;
        this.extraVars = extraVars;
        this.elsewhere = elsewhere;
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name) || inventory.host(name).isEmpty()) return null;
        if (elsewhere.runsElsewhere().test(name) && !fetched.containsKey(name)) fetch(List.of(name));
        return vars(name);
    }

    private Map<String, Object> vars(String name) {
        Map<String, Object> vars = new LinkedHashMap<>(inventory.varsFor(name));
        HostFacts set = fetched.get(name);
        if (set == null) {
            HostState st = hosts.apply(name);
            set = st == null ? HostFacts.EMPTY : HostFacts.of(st);
        }
        vars.putAll(set.included());
        vars.putAll(set.facts());
        vars.putAll(extraVars);
        return vars;
    }

    /** Asks once for all of {@code names}; a host the answer leaves out counts as having nothing set. */
    private void fetch(List<String> names) {
        Map<String, HostFacts> answer = elsewhere.lookup().facts(names);
        for (String n : names) fetched.put(n, answer.getOrDefault(n, HostFacts.EMPTY));
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && inventory.host(name).isPresent();
    }

    @Override
    public Set<String> keySet() {
        Set<String> out = new LinkedHashSet<>();
        for (var h : inventory.hosts()) out.add(h.name());
        return out;
    }

    @Override
    public int size() {
        return inventory.hosts().size();
    }

    @Override
    public boolean isEmpty() {
        return inventory.hosts().isEmpty();
    }

    /** Every host's variables: those run elsewhere and not yet fetched are asked for in one go. */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        List<String> missing = new ArrayList<>();
        for (var h : inventory.hosts()) {
            if (elsewhere.runsElsewhere().test(h.name()) && !fetched.containsKey(h.name())) missing.add(h.name());
        }
        if (!missing.isEmpty()) fetch(missing);
        Set<Entry<String, Object>> out = new LinkedHashSet<>();
        for (var h : inventory.hosts()) out.add(new SimpleImmutableEntry<>(h.name(), vars(h.name())));
        return out;
    }
}
